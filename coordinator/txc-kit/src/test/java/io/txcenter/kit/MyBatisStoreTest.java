package io.txcenter.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.ibatis.binding.BindingException;
import org.junit.jupiter.api.Test;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Mapper XMLs added to an open session (what ParticipantRuntime.extend relies on). */
class MyBatisStoreTest {

  interface FirstMapper {
    int one();
  }

  interface SecondMapper {
    int two();
  }

  // no statement runs: registering and looking up mappers needs no connection
  private final SqlSessionTemplate sql =
      MyBatisStore.open(new DriverManagerDataSource("jdbc:none:"), "mapper/FirstTestMapper.xml");

  @Test
  void givenAnOpenSession_addMappers_makesTheNewMapperAvailable_andKeepsTheFirst() {
    assertThatThrownBy(() -> sql.getMapper(SecondMapper.class))
        .isInstanceOf(BindingException.class);

    MyBatisStore.addMappers(sql.getConfiguration(), "mapper/SecondTestMapper.xml");

    assertThat(sql.getMapper(SecondMapper.class)).isNotNull();
    assertThat(sql.getMapper(FirstMapper.class)).isNotNull();
    assertThat(sql.getConfiguration().hasStatement(SecondMapper.class.getName() + ".two")).isTrue();
  }

  @Test
  void givenAMissingResource_addMappers_namesIt() {
    assertThatThrownBy(() -> MyBatisStore.addMappers(sql.getConfiguration(), "mapper/None.xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[mapper/None.xml]");
  }
}
