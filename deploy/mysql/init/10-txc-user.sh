#!/bin/sh
# Run once by the mysql image's entrypoint on an empty data directory (docker-entrypoint-initdb.d;
# the Kubernetes manifests mount it from the ConfigMap txc-mysql-init). Creates the user txc that
# every txcenter process logs in as, with every right on the schemas named txc_* only: each
# service creates its own schema on first start (createDatabaseIfNotExist=true), the TCs the
# schema txc_seata. Its password comes from TXC_DB_PASSWORD (mysql.env / the Secret txc-mysql).
set -eu
: "${TXC_DB_PASSWORD:?TXC_DB_PASSWORD is not set (deploy/secrets/generate.sh)}"
# the root password in an owner-only options file, not on mysql's command line
umask 077
cnf=$(mktemp)
trap 'rm -f "$cnf"' EXIT
printf '[client]\nuser=root\npassword="%s"\n' "$MYSQL_ROOT_PASSWORD" > "$cnf"
mysql --defaults-extra-file="$cnf" --protocol=socket <<SQL
CREATE USER IF NOT EXISTS 'txc'@'%' IDENTIFIED BY '${TXC_DB_PASSWORD}';
GRANT ALL PRIVILEGES ON \`txc\\_%\`.* TO 'txc'@'%';
FLUSH PRIVILEGES;
SQL
