package io.txcenter.kit.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.rpc.AsyncRpcResult;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcException;
import org.apache.dubbo.rpc.RpcInvocation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ErrorBoundaryFilterTest {

  /** An API as txcenter writes them: one typed exception, declared on every method. */
  interface ShopApi {
    String buy(String item) throws ShopException;
  }

  static final class ShopException extends RuntimeException {
    final String code;

    ShopException(String code, String message) {
      super(code + ": " + message);
      this.code = code;
    }
  }

  private final ErrorBoundaryFilter filter = new ErrorBoundaryFilter();

  @BeforeAll
  static void register() {
    ErrorBoundaryFilter.register(
        ShopApi.class,
        "g1",
        (unexpected, badInput, message) ->
            new ShopException(badInput ? "INVALID_REQUEST" : "STORAGE_FAILURE", message));
  }

  @Test
  void givenAClassCastFromAForeignArgument_theCallerGetsTheApisInvalidRequest() {
    Throwable typed =
        respond("g1", new ClassCastException("class java.util.HashMap cannot be cast"));

    assertThat(typed)
        .isInstanceOfSatisfying(
            ShopException.class, e -> assertThat(e.code).isEqualTo("INVALID_REQUEST"))
        .hasMessageNotContaining("HashMap");
  }

  @Test
  void givenAnUnexpectedFailure_theCallerGetsTheApisInternalCode_withTheMessageCut() {
    Throwable typed = respond("g1", new IllegalStateException("x".repeat(1_000_000)));

    assertThat(typed)
        .isInstanceOfSatisfying(
            ShopException.class, e -> assertThat(e.code).isEqualTo("STORAGE_FAILURE"));
    assertThat(typed.getMessage()).hasSizeLessThan(200);
  }

  @Test
  void theApisOwnErrors_dubbosOwn_andAuthenticationRefusals_crossAsTheyAre() {
    ShopException own = new ShopException("UNKNOWN_ITEM", "no [x]");
    RpcException rpc = new RpcException("timeout");

    assertThat(respond("g1", own)).isSameAs(own);
    assertThat(respond("g1", rpc)).isSameAs(rpc);
    SecurityException refused = new SecurityException("UNAUTHENTICATED: no credential");
    assertThat(respond("g1", refused)).isSameAs(refused);
  }

  @Test
  void givenAnExportWithoutABoundary_nothingChanges() {
    ClassCastException raw = new ClassCastException("x");

    assertThat(respond("other-group", raw)).isSameAs(raw);
  }

  @Test
  void givenAFailureThrownRatherThanReturned_itIsTypedToo() {
    Invoker<ShopApi> invoker =
        invoker(
            "g1",
            invocation -> {
              throw new ClassCastException("thrown by the invoker's own cast");
            });
    try {
      filter.invoke(invoker, buy());
      throw new AssertionError("not thrown");
    } catch (ShopException e) {
      assertThat(e.code).isEqualTo("INVALID_REQUEST");
    }
  }

  private Throwable respond(String group, Throwable thrown) {
    RpcInvocation invocation = buy();
    Invoker<ShopApi> invoker = invoker(group, i -> AsyncRpcResult.newDefaultAsyncResult(thrown, i));
    Result result = filter.invoke(invoker, invocation);
    filter.onResponse(result, invoker, invocation);
    return result.getException();
  }

  private static RpcInvocation buy() {
    return new RpcInvocation(
        "buy",
        ShopApi.class.getName(),
        ShopApi.class.getName(),
        new Class<?>[] {String.class},
        new Object[] {"apple"});
  }

  private static Invoker<ShopApi> invoker(String group, Function<Invocation, Result> behaviour) {
    URL url =
        URL.valueOf(
            "dubbo://127.0.0.1:1/" + ShopApi.class.getName() + "?group=" + group + "&version=1.0");
    return new Invoker<>() {
      @Override
      public Class<ShopApi> getInterface() {
        return ShopApi.class;
      }

      @Override
      public Result invoke(Invocation invocation) {
        return behaviour.apply(invocation);
      }

      @Override
      public URL getUrl() {
        return url;
      }

      @Override
      public boolean isAvailable() {
        return true;
      }

      @Override
      public void destroy() {}
    };
  }
}
