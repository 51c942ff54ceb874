#ifndef SEPARA_PNG_WRITER_H
#define SEPARA_PNG_WRITER_H

#include <stddef.h>
#include <stdint.h>

/// Encodes a 1-bit greyscale PNG into memory, with a pHYs chunk stating `dots_per_inch`.
///
/// `rows` holds `height` rows of `row_bytes` bytes each, pixels packed MSB first, where a set bit is
/// BLACK (a printed dot); the encoder inverts them to PNG's convention (0 = black).
/// Keeps libpng's setjmp/longjmp error handling inside C.
/// On success returns 0 and sets `*out` to a malloc'ed buffer of `*out_size` bytes, which the caller
/// frees with `separa_png_free`. On failure returns -1, sets `*out` to NULL, and copies libpng's
/// message (never image content) into `error`, which holds `error_size` bytes.
int separa_png_encode_1bit(const uint8_t *rows, uint32_t width, uint32_t height, size_t row_bytes,
                           uint32_t dots_per_inch, uint8_t **out, size_t *out_size, char *error,
                           size_t error_size);

/// Frees a buffer returned by `separa_png_encode_1bit`.
void separa_png_free(uint8_t *buffer);

#endif
