#ifndef SEPARA_PNG_WRITER_H
#define SEPARA_PNG_WRITER_H

#include <stddef.h>
#include <stdint.h>

/// Writes a 1-bit greyscale PNG (0 = black, 1 = white per bit, rows packed MSB first) to `path`,
/// with a pHYs chunk stating `dots_per_inch`. Keeps libpng's setjmp/longjmp error handling inside C.
/// Returns 0 on success; on failure returns -1 and copies libpng's or the system's message
/// (never image content) into `error`, which holds `error_size` bytes.
int separa_png_write_1bit(const char *path, const uint8_t *rows, uint32_t width, uint32_t height,
                          size_t row_bytes, uint32_t dots_per_inch, char *error, size_t error_size);

#endif
