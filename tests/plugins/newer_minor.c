#include "c_descriptor.h"

C_DESCRIPTOR(descriptor, "newer_minor", CS_ABI_MAJOR, CS_ABI_MINOR + 1);

__attribute__((visibility("default"))) const cs_plugin_descriptor* cardsync_plugin_query(void) {
  return &descriptor;
}
