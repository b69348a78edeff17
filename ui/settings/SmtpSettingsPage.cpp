#include "settings/SmtpSettingsPage.h"
