package io.txcenter.kit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.mybatis.spring.SqlSessionTemplate;
import org.mybatis.spring.transaction.SpringManagedTransactionFactory;

/**
 * MyBatis on a participant's schema, bound to Spring-managed transactions so that mapper calls
 * inside a fenced Try/Confirm/Cancel share the fence's local transaction.
 */
public final class MyBatisStore {

  private MyBatisStore() {}

  /** A thread-safe session whose mappers join the current Spring transaction, if any. */
  public static SqlSessionTemplate open(DataSource dataSource, String... mapperResources) {
    Configuration configuration =
        new Configuration(
            new Environment("txc", new SpringManagedTransactionFactory(), dataSource));
    configuration.setMapUnderscoreToCamelCase(true);
    configuration.setArgNameBasedConstructorAutoMapping(true);
    addMappers(configuration, mapperResources);
    return new SqlSessionTemplate(new SqlSessionFactoryBuilder().build(configuration));
  }

  /**
   * Parses more mapper XMLs into an open session's configuration. MyBatis's configuration is not
   * made for concurrent change: call this at start-up, before the session serves other threads.
   */
  public static void addMappers(Configuration configuration, String... mapperResources) {
    for (String resource : mapperResources) {
      try (InputStream in = MyBatisStore.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalArgumentException("no mapper on the classpath: [" + resource + "]");
        }
        new XMLMapperBuilder(in, configuration, resource, configuration.getSqlFragments()).parse();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
