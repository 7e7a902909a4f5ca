// Built by the test module_headers_public: a module outside checker/ includes
// checker's public headers through linking it, as any module does.
#include "checker/checker.h"
#include "history/load.h"

int PublicHeaderProbe() { return 0; }
