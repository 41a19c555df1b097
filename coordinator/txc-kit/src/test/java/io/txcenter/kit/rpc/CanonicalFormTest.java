package io.txcenter.kit.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CanonicalFormTest {

  record Line(String channel, long points) implements Serializable {}

  record Order(String orderNo, long user, List<Line> lines, Map<String, String> headers)
      implements Serializable {}

  @Test
  void givenTheSameValuesInOtherContainers_theFormIsTheSame() {
    Map<String, String> hashed = new HashMap<>();
    hashed.put("b", "2");
    hashed.put("a", "1");
    Order immutable =
        new Order("o-1", 7, List.of(new Line("ch-a", 10)), Map.of("a", "1", "b", "2"));
    Order roundTripped =
        new Order("o-1", 7, new ArrayList<>(List.of(new Line("ch-a", 10))), new TreeMap<>(hashed));

    assertThat(CanonicalForm.digest(new Object[] {immutable}))
        .isEqualTo(CanonicalForm.digest(new Object[] {roundTripped}));
  }

  @Test
  void givenAnIntWhereALongWent_theFormIsTheSame() {
    assertThat(CanonicalForm.of(new Object[] {5L, 1.5f}))
        .isEqualTo(CanonicalForm.of(new Object[] {5, 1.5d}));
  }

  @Test
  void givenAnyChangedValue_theDigestChanges() {
    Order order = new Order("o-1", 7, List.of(new Line("ch-a", 10)), Map.of());
    String digest = CanonicalForm.digest(new Object[] {order});

    assertThat(
            CanonicalForm.digest(
                new Object[] {new Order("o-1", 7, List.of(new Line("ch-a", 11)), Map.of())}))
        .isNotEqualTo(digest);
    assertThat(
            CanonicalForm.digest(
                new Object[] {new Order("o-1", 8, List.of(new Line("ch-a", 10)), Map.of())}))
        .isNotEqualTo(digest);
    assertThat(
            CanonicalForm.digest(
                new Object[] {
                  new Order("o-1", 7, List.of(new Line("ch-a", 10)), Map.of("k", "v"))
                }))
        .isNotEqualTo(digest);
    assertThat(CanonicalForm.digest(new Object[] {order, null})).isNotEqualTo(digest);
  }

  @Test
  void givenStringsThatLookLikeStructure_theyCannotShiftIntoTheirNeighbours() {
    assertThat(CanonicalForm.of(new Object[] {"a;s1:b", "c"}))
        .isNotEqualTo(CanonicalForm.of(new Object[] {"a", "b;s1:c"}));
    assertThat(CanonicalForm.of(new Object[] {null}))
        .isNotEqualTo(CanonicalForm.of(new Object[] {"n;"}));
  }

  @Test
  void givenSetsInAnotherOrder_andEnumsAndArrays_theFormIsStable() {
    LinkedHashSet<String> ab = new LinkedHashSet<>(List.of("a", "b"));
    LinkedHashSet<String> ba = new LinkedHashSet<>(List.of("b", "a"));
    assertThat(CanonicalForm.of(new Object[] {ab})).isEqualTo(CanonicalForm.of(new Object[] {ba}));
    assertThat(
            CanonicalForm.of(
                new Object[] {TimeUnit.SECONDS, new long[] {1, 2}, new String[] {"x"}}))
        .isEqualTo("a3[ejava.util.concurrent.TimeUnit.SECONDS;a2[i1;i2;]a1[s1:x;]]");
  }

  @Test
  void givenATypeWithoutACanonicalForm_itIsRefused() {
    assertThatThrownBy(() -> CanonicalForm.digest(new Object[] {new Object()}))
        .isInstanceOf(CanonicalForm.UnsignableArgumentException.class)
        .hasMessageStartingWith("UNSIGNABLE: type [java.lang.Object]");
    assertThatThrownBy(() -> CanonicalForm.digest(new Object[] {List.of(java.time.Instant.EPOCH)}))
        .isInstanceOf(CanonicalForm.UnsignableArgumentException.class);
  }
}
