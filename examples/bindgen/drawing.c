/* demo:drawing implemented in C against the bindings of `wasip2ld bindgen c` (see docs/bindgen.md). */
#include <stdlib.h>
#include <string.h>

#include "drawing.h"

typedef exports_demo_drawing_shapes_point_t point_t;
typedef exports_demo_drawing_shapes_shape_t shape_t;

/* The representation of a `canvas` handle: the bindings declare the type, we define it. */
struct exports_demo_drawing_shapes_canvas_t {
  drawing_string_t title;
  shape_t *shapes;
  size_t count;
};

static void log_text(const char *text) {
  drawing_string_t message;
  drawing_string_set(&message, text); /* import arguments stay ours: no copy needed */
  drawing_log(&message);
}

exports_demo_drawing_shapes_own_canvas_t exports_demo_drawing_shapes_constructor_canvas(drawing_string_t *title) {
  exports_demo_drawing_shapes_canvas_t *canvas = calloc(1, sizeof *canvas);
  canvas->title = *title; /* export arguments are ours: keep the string */
  log_text("canvas created");
  return exports_demo_drawing_shapes_canvas_new(canvas);
}

uint32_t exports_demo_drawing_shapes_method_canvas_add(exports_demo_drawing_shapes_borrow_canvas_t self, shape_t *s) {
  self->shapes = realloc(self->shapes, sizeof(shape_t) * (self->count + 1));
  self->shapes[self->count++] = *s; /* moved into the canvas; freed by the destructor */
  return (uint32_t) self->count;
}

static double area_of(const shape_t *s) {
  if (s->tag == EXPORTS_DEMO_DRAWING_SHAPES_SHAPE_CIRCLE) return 3.141592653589793 * s->val.circle * s->val.circle;
  const exports_demo_drawing_shapes_list_point_t *p = &s->val.polygon;
  double twice = 0;
  for (size_t i = 0; i < p->len; i++) {
    const point_t *a = &p->ptr[i], *b = &p->ptr[(i + 1) % p->len];
    twice += a->x * b->y - b->x * a->y;
  }
  return (twice < 0 ? -twice : twice) / 2;
}

double exports_demo_drawing_shapes_method_canvas_area(exports_demo_drawing_shapes_borrow_canvas_t self) {
  double total = 0;
  for (size_t i = 0; i < self->count; i++) total += area_of(&self->shapes[i]);
  return total;
}

void exports_demo_drawing_shapes_method_canvas_describe(exports_demo_drawing_shapes_borrow_canvas_t self,
                                                        drawing_list_string_t *ret) {
  ret->len = self->count + 1;
  ret->ptr = malloc(sizeof(drawing_string_t) * ret->len); /* results are freed by the bindings */
  drawing_string_dup_n(&ret->ptr[0], (const char *) self->title.ptr, self->title.len);
  for (size_t i = 0; i < self->count; i++) {
    drawing_string_dup(&ret->ptr[i + 1],
                       self->shapes[i].tag == EXPORTS_DEMO_DRAWING_SHAPES_SHAPE_CIRCLE ? "circle" : "polygon");
  }
}

void exports_demo_drawing_shapes_canvas_destructor(exports_demo_drawing_shapes_canvas_t *canvas) {
  for (size_t i = 0; i < canvas->count; i++) exports_demo_drawing_shapes_shape_free(&canvas->shapes[i]);
  free(canvas->shapes);
  drawing_string_free(&canvas->title);
  free(canvas);
  log_text("canvas dropped");
}

bool exports_demo_drawing_shapes_bounding_box(exports_demo_drawing_shapes_list_point_t *points,
                                              exports_demo_drawing_shapes_tuple2_point_point_t *ret) {
  bool some = points->len > 0;
  for (size_t i = 0; i < points->len; i++) {
    const point_t *p = &points->ptr[i];
    if (i == 0 || p->x < ret->f0.x) ret->f0.x = p->x;
    if (i == 0 || p->y < ret->f0.y) ret->f0.y = p->y;
    if (i == 0 || p->x > ret->f1.x) ret->f1.x = p->x;
    if (i == 0 || p->y > ret->f1.y) ret->f1.y = p->y;
  }
  exports_demo_drawing_shapes_list_point_free(points);
  return some;
}
