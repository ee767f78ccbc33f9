#include "c_descriptor.h"

C_DESCRIPTOR(descriptor, "wrong_major", CS_ABI_MAJOR + 1, 0);

__attribute__((visibility("default"))) const cs_plugin_descriptor* cardsync_plugin_query(void) {
  return &descriptor;
}
