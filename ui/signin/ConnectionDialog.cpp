#include "signin/ConnectionDialog.h"
