#!/usr/bin/python3
"""Vanilla QGIS (Debian's python3-qgis) as the reference in StatDesk's benchmarks.

  qgis_reference.py start               time to initialise a bare QgsApplication
  qgis_reference.py render P.gpkg W H   load the QGIS project stored in P.gpkg and render its
                                        visible layers at full extent (same as statdesk-cli render)
Prints one JSON object.
"""
import json
import sys
import time

t0 = time.perf_counter()
from qgis.core import (QgsApplication, QgsMapRendererParallelJob, QgsMapSettings,  # noqa: E402
                       QgsProject)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402
from osgeo import gdal  # noqa: E402

gdal.SetConfigOption("OGR_SQLITE_JOURNAL", "DELETE")  # as StatDesk does (QGIS 3.22 / GDAL 3.6 NOLOCK issue)
app = QgsApplication([], False)
app.setPrefixPath("/usr", True)
app.initQgis()
start_s = time.perf_counter() - t0

if sys.argv[1] == "start":
    print(json.dumps({"qgis_start_s": start_s}))
elif sys.argv[1] == "render":
    path, w, h = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    project = QgsProject.instance()
    t1 = time.perf_counter()
    if not project.read(f"geopackage:{path}?projectName=statdesk"):
        sys.exit(f"cannot read project from {path}")
    load_s = time.perf_counter() - t1
    settings = QgsMapSettings()
    settings.setOutputSize(QSize(w, h))
    settings.setOutputDpi(96)
    settings.setDestinationCrs(project.crs())
    settings.setBackgroundColor(QColor(250, 250, 247))
    settings.setLayers(project.layerTreeRoot().checkedLayers())
    extent = project.viewSettings().defaultViewExtent()
    settings.setExtent(extent if not extent.isNull() else settings.fullExtent())
    t2 = time.perf_counter()
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    render_s = time.perf_counter() - t2
    job.renderedImage().save("/tmp/qgis_reference_render.png")
    print(json.dumps({"load_s": load_s, "render_s": render_s}))
app.exitQgis()
