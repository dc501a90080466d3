#include <stdint.h>

__attribute__((export_name("area"))) int32_t area(int32_t width, int32_t height) {
    return width * height;
}
