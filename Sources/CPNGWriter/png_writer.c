#include "png_writer.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct separa_png_error {
    jmp_buf jump;
    char *message;
    size_t size;
};

static void separa_png_error_fn(png_structp png, png_const_charp message) {
    struct separa_png_error *state = (struct separa_png_error *)png_get_error_ptr(png);
    snprintf(state->message, state->size, "libpng: %s", message);
    longjmp(state->jump, 1);
}

static void separa_png_warning_fn(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

int separa_png_write_1bit(const char *path, const uint8_t *rows, uint32_t width, uint32_t height,
                          size_t row_bytes, uint32_t dots_per_inch, char *error, size_t error_size) {
    struct separa_png_error state;
    state.message = error;
    state.size = error_size;
    if (error_size > 0) error[0] = 0;

    FILE *volatile file = fopen(path, "wb");
    if (!file) {
        snprintf(error, error_size, "cannot create file: %s", strerror(errno));
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, separa_png_error_fn,
                                              separa_png_warning_fn);
    if (!png) {
        fclose(file);
        snprintf(error, error_size, "libpng: out of memory");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        fclose(file);
        snprintf(error, error_size, "libpng: out of memory");
        return -1;
    }
    if (setjmp(state.jump)) {
        png_destroy_write_struct(&png, &info);
        fclose(file);
        return -1;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, width, height, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* pHYs is in dots per metre: 1 inch = 0.0254 m; round to nearest. */
    png_uint_32 per_metre = (png_uint_32)((dots_per_inch * 10000u + 127u) / 254u);
    png_set_pHYs(png, info, per_metre, per_metre, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(rows + (size_t)y * row_bytes));
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (fflush(file) != 0 || fsync(fileno(file)) != 0) {
        snprintf(error, error_size, "cannot write file: %s", strerror(errno));
        fclose(file);
        return -1;
    }
    if (fclose(file) != 0) {
        snprintf(error, error_size, "cannot close file: %s", strerror(errno));
        return -1;
    }
    return 0;
}
