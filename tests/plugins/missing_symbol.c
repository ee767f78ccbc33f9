/* Looks like a plugin by its file name but exports a misspelt query function. */
#include "c_descriptor.h"

C_DESCRIPTOR(descriptor, "missing_symbol", CS_ABI_MAJOR, CS_ABI_MINOR);

__attribute__((visibility("default"))) const cs_plugin_descriptor* cardsync_plugin_querry(void) {
  return &descriptor;
}
