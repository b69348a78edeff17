#include "signin/FirstRunDialog.h"
