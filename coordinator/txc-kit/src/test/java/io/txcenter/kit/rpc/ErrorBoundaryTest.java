package io.txcenter.kit.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErrorBoundaryTest {

  enum Codes {
    INVALID_REQUEST,
    UNKNOWN_THING,
    STORAGE_FAILURE
  }

  enum NoStorageCode {
    INVALID_REQUEST,
    TRANSACTION_FAILED
  }

  static final class ApiException extends RuntimeException {
    final Codes code;

    ApiException(Codes code, String message) {
      super(code + ": " + message);
      this.code = code;
    }
  }

  private final ErrorBoundary boundary = ErrorBoundary.namedAlike(Codes.class, ApiException::new);

  interface DeclaringApi {
    String find(String key) throws ApiException;

    void change(String key) throws ApiException;
  }

  interface ForgetfulApi {
    String find(String key) throws ApiException;

    /** Declares nothing: its ApiException would reach callers as STORAGE_FAILURE. */
    void change(String key);
  }

  @Test
  void anApiWhoseMethodsAllDeclareTheirException_isAccepted() {
    ErrorBoundary.requireDeclared(DeclaringApi.class);
  }

  @Test
  void anApiWithAMethodThatDeclaresNoException_isRefusedAtExport_namingTheMethod() {
    assertThatThrownBy(() -> ErrorBoundary.requireDeclared(ForgetfulApi.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ForgetfulApi.change declares no exception");
  }

  @Test
  void givenBadInput_namedAlike_typesItInvalidRequest_withTheMessage() {
    RuntimeException typed = boundary.typed(new ClassCastException("x"), true, "bad shape");

    assertThat(typed).isInstanceOf(ApiException.class).hasMessage("INVALID_REQUEST: bad shape");
    assertThat(((ApiException) typed).code).isEqualTo(Codes.INVALID_REQUEST);
  }

  @Test
  void givenAnyOtherFailure_namedAlike_typesItStorageFailure() {
    RuntimeException typed = boundary.typed(new IllegalStateException("bug"), false, "bug");

    assertThat(((ApiException) typed).code).isEqualTo(Codes.STORAGE_FAILURE);
  }

  @Test
  void givenAnEnumWithoutOneOfTheNames_namedAlike_isRefusedAtOnce() {
    assertThatThrownBy(
            () ->
                ErrorBoundary.namedAlike(
                    NoStorageCode.class, (code, message) -> new IllegalStateException(message)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STORAGE_FAILURE");
  }
}
