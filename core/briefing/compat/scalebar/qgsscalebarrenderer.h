// Debian 12's libqgis-dev installs qgsscalebarrenderer.h flat in /usr/include/qgis, but
// qgslayoutitemscalebar.h includes it as "scalebar/qgsscalebarrenderer.h" (the source-tree path).
// This forwarder lets the briefing code include the scale bar item as shipped.
#pragma once
#include <qgsscalebarrenderer.h>
