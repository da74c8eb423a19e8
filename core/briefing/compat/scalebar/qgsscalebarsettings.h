// Debian 12's libqgis-dev installs qgsscalebarsettings.h flat in /usr/include/qgis, but
// qgslayoutitemscalebar.h includes it as "scalebar/qgsscalebarsettings.h" (the source-tree path).
// This forwarder lets the briefing code include the scale bar item as shipped.
#pragma once
#include <qgsscalebarsettings.h>
