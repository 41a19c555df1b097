#!/bin/sh
# Writes a new set of the cluster's secrets as two env files (owner-only, mode 0600), in the
# environment form every txcenter process reads (io.txcenter.secrets.Secrets: TXC_SECRET_<NAME>,
# the name upper-cased, '.' and '-' as '_'):
#
#   <dir>/secrets.env  for every txcenter process: what bin/txc up writes to
#                      run/secrets/cluster.properties (ZooKeeper credential, one RPC key per
#                      identity, the demo bank's secret, the merchant master key, the console
#                      password), plus the database password of the user txc as TXC_JDBC_PASSWORD
#                      (services, relays) and TXC_TC_JDBC_PASSWORD (the TCs' db store)
#   <dir>/mysql.env    for the MySQL container only: MYSQL_ROOT_PASSWORD, and TXC_DB_PASSWORD
#                      (the same password of the user txc, which its init script creates)
#
# Usage: deploy/secrets/generate.sh <dir>     e.g. deploy/compose
# Both files are git-ignored; never commit them. Compose reads them with env_file; Kubernetes:
# kubectl create secret generic ... --from-env-file=<file> (docs/deploy.md).
set -eu
dir=${1:?usage: generate.sh <dir>}
for f in secrets.env mysql.env; do
  if [ -e "$dir/$f" ]; then
    echo "generate.sh: $dir/$f exists; move it away first (rotation: docs/security.md)" >&2
    exit 1
  fi
done
# random bytes, URL-safe base64 without padding (Secrets.randomToken's form)
token() {
  head -c "$1" /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='
}
umask 077
mkdir -p "$dir"
db_password=$(token 24)
{
  echo "# txcenter cluster secrets: owner-only, never commit or log"
  # ZooKeeper digest credential user:password, shared by every process of the cluster
  echo "TXC_SECRET_ZK_CREDENTIAL=txc:$(token 24)"
  # one RPC key per identity: the CLI's (operator) and every descriptor's rpc.identity
  for identity in operator points portal account fund mall payment notifier subscriber relay; do
    echo "TXC_SECRET_RPC_KEY_$(echo "$identity" | tr 'a-z' 'A-Z')=$(token 32)"
  done
  # the demo bank's callback secret (bank.demo-bank.secret); one per bank
  echo "TXC_SECRET_BANK_DEMO_BANK_SECRET=$(token 32)"
  echo "TXC_SECRET_MERCHANT_MASTER_KEY=$(token 32)"
  echo "TXC_SECRET_CONSOLE_PASSWORD=$(token 18)"
  echo "TXC_JDBC_PASSWORD=$db_password"
  echo "TXC_TC_JDBC_PASSWORD=$db_password"
} > "$dir/secrets.env.tmp"
{
  echo "# MySQL container only: owner-only, never commit or log"
  echo "MYSQL_ROOT_PASSWORD=$(token 24)"
  echo "TXC_DB_PASSWORD=$db_password"
} > "$dir/mysql.env.tmp"
mv "$dir/secrets.env.tmp" "$dir/secrets.env"
mv "$dir/mysql.env.tmp" "$dir/mysql.env"
echo "wrote $dir/secrets.env and $dir/mysql.env (mode $(stat -c %a "$dir/secrets.env"))"
