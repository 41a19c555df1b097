package io.txcenter.kit.rpc;

import io.txcenter.kit.Echo;
import java.util.function.BiFunction;

/**
 * Turns a failure that escaped a provider without being one of its API's typed exceptions (a {@link
 * ClassCastException} from an argument of a foreign class, a bug) into that API's typed exception,
 * so that a caller only ever sees the API's error codes. Registered per export (see {@link
 * io.txcenter.kit.DubboNode#export(Class, Object, String, Callers, ErrorBoundary)}) and applied by
 * {@link ErrorBoundaryFilter}.
 */
@FunctionalInterface
public interface ErrorBoundary {

  /**
   * The API's typed exception for {@code unexpected}: its {@code INVALID_REQUEST} when {@code
   * badInput}, else its internal failure code. {@code message} is already cut ({@link Echo}).
   */
  RuntimeException typed(Throwable unexpected, boolean badInput, String message);

  /**
   * The conventional boundary of a participant: {@code INVALID_REQUEST} for bad input, else {@code
   * STORAGE_FAILURE}, the constants of that name in {@code codes}, turned into the API's exception
   * by {@code exception(code, message)}. Both names are resolved here, once: an enum that lacks one
   * is refused with {@link IllegalArgumentException}, so a wrong boundary fails at start.
   *
   * @param <C> the API's error-code enum
   */
  static <C extends Enum<C>> ErrorBoundary namedAlike(
      Class<C> codes, BiFunction<C, String, ? extends RuntimeException> exception) {
    C invalid = Enum.valueOf(codes, "INVALID_REQUEST");
    C internal = Enum.valueOf(codes, "STORAGE_FAILURE");
    return (unexpected, badInput, message) ->
        exception.apply(badInput ? invalid : internal, message);
  }

  /**
   * Checks that every method of {@code api} declares an exception (the API's typed one): the
   * boundary passes through only what a method declares, so a refusal that a method does not
   * declare would reach its caller as the boundary's internal failure, not as itself.
   *
   * @throws IllegalStateException naming the first method that declares none
   */
  static void requireDeclared(Class<?> api) {
    for (java.lang.reflect.Method method : api.getMethods()) {
      if (method.getExceptionTypes().length == 0) {
        throw new IllegalStateException(
            api.getName()
                + "."
                + method.getName()
                + " declares no exception: declare the API's typed exception (throws ...)");
      }
    }
  }

  /**
   * True for the failures that a malformed request causes in code that trusted the declared types:
   * an object of another class where the API names one (deserialized as a map, or as some other
   * allowed class), or an argument the invoker could not pass.
   */
  static boolean isBadInput(Throwable unexpected) {
    return unexpected instanceof ClassCastException
        || unexpected instanceof ArrayStoreException
        || unexpected instanceof IllegalArgumentException;
  }

  /** The message of the typed exception: what failed, cut, without the stack or class loaders. */
  static String describe(Throwable unexpected) {
    if (isBadInput(unexpected)) {
      return "the request holds a value of an unexpected type or shape ("
          + unexpected.getClass().getSimpleName()
          + ")";
    }
    return "unexpected "
        + unexpected.getClass().getSimpleName()
        + ": "
        + Echo.cut(unexpected.getMessage());
  }
}
