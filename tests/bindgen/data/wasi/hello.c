/* A wasi:cli/command component written against `wasip2ld bindgen c` bindings of the WASI 0.2 world. */
#include <string.h>

#include "command.h"

bool exports_wasi_cli_run_run(void) {
  command_list_string_t args;
  wasi_cli_environment_get_arguments(&args);
  const char *text = args.len > 1 ? "hello with arguments\n" : "hello via bindings\n";
  command_list_string_free(&args);
  command_list_u8_t bytes = {(uint8_t *) text, strlen(text)};
  wasi_cli_stdout_own_output_stream_t out = wasi_cli_stdout_get_stdout();
  wasi_io_streams_stream_error_t err;
  bool ok = wasi_io_streams_method_output_stream_blocking_write_and_flush(
      wasi_io_streams_borrow_output_stream(out), &bytes, &err);
  if (!ok && err.tag == WASI_IO_STREAMS_STREAM_ERROR_LAST_OPERATION_FAILED) {
    wasi_io_error_error_drop_own(err.val.last_operation_failed);
  }
  wasi_io_streams_output_stream_drop_own(out);
  return ok;
}
