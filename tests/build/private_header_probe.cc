// Built by the test module_headers_private, which passes only when this fails
// to compile: checker/lease/holds.h is private to checker/, so a module that
// links checker must not reach it.
#include "checker/lease/holds.h"

int PrivateHeaderProbe() { return 0; }
