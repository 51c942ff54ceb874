#include "png_writer.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct separa_png_state {
    jmp_buf jump;
    char *message;
    size_t message_size;
    uint8_t *data;
    size_t size;
    size_t capacity;
};

static void separa_png_error_fn(png_structp png, png_const_charp message) {
    struct separa_png_state *state = (struct separa_png_state *)png_get_error_ptr(png);
    if (state->message_size > 0) snprintf(state->message, state->message_size, "libpng: %s", message);
    longjmp(state->jump, 1);
}

static void separa_png_warning_fn(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static void separa_png_write_fn(png_structp png, png_bytep bytes, png_size_t length) {
    struct separa_png_state *state = (struct separa_png_state *)png_get_io_ptr(png);
    if (state->size + length > state->capacity) {
        size_t capacity = state->capacity ? state->capacity : 4096;
        while (capacity < state->size + length) capacity *= 2;
        uint8_t *grown = realloc(state->data, capacity);
        if (!grown) png_error(png, "out of memory");
        state->data = grown;
        state->capacity = capacity;
    }
    memcpy(state->data + state->size, bytes, length);
    state->size += length;
}

static void separa_png_flush_fn(png_structp png) { (void)png; }

int separa_png_encode_1bit(const uint8_t *rows, uint32_t width, uint32_t height, size_t row_bytes,
                           uint32_t dots_per_inch, uint8_t **out, size_t *out_size, char *error,
                           size_t error_size) {
    /* volatile: these are read after a longjmp back into this frame. */
    struct separa_png_state *volatile state = calloc(1, sizeof(struct separa_png_state));
    *out = NULL;
    *out_size = 0;
    if (error_size > 0) error[0] = 0;
    if (!state) {
        snprintf(error, error_size, "libpng: out of memory");
        return -1;
    }
    state->message = error;
    state->message_size = error_size;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, state, separa_png_error_fn,
                                              separa_png_warning_fn);
    if (!png) {
        free(state);
        snprintf(error, error_size, "libpng: out of memory");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        free(state);
        snprintf(error, error_size, "libpng: out of memory");
        return -1;
    }
    if (setjmp(state->jump)) {
        png_destroy_write_struct(&png, &info);
        free(state->data);
        free(state);
        return -1;
    }
    png_set_write_fn(png, state, separa_png_write_fn, separa_png_flush_fn);
    png_set_IHDR(png, info, width, height, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* pHYs is in dots per metre: 1 inch = 0.0254 m; rounded to nearest, so that
       round(per_metre * 0.0254) gives back dots_per_inch for every DPI below 10,000. */
    png_uint_32 per_metre = (png_uint_32)(((uint64_t)dots_per_inch * 10000u + 127u) / 254u);
    png_set_pHYs(png, info, per_metre, per_metre, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    png_set_invert_mono(png); /* callers pass 1 = black; PNG greyscale has 0 = black */
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(rows + (size_t)y * row_bytes));
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    *out = state->data;
    *out_size = state->size;
    free(state);
    return 0;
}

void separa_png_free(uint8_t *buffer) { free(buffer); }
