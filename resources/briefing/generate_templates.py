#!/usr/bin/python3
"""Writes the StatDesk briefing layout templates (*.qpt) next to this script.

The .qpt files are the sources the app embeds and that analysts edit in the QGIS layout
designer; this script only produced their first version (and can rebuild them after a layout
change: run it with Debian's python3, which has python3-qgis). One template per kind, page
size and orientation, because QGIS layouts place items in page millimetres.

Items are found by id from C++ (core/briefing/BriefingExporter.cpp); every text is a label
whose expressions read layout variables (@statdesk_*) or the atlas feature, so the C++ side
never needs QgsLayoutItemLabel.
"""
import os
import sys

from qgis.core import (QgsApplication, QgsLayoutItemLabel, QgsLayoutItemLegend, QgsLayoutItemMap,
                       QgsLayoutItemPicture, QgsLayoutItemScaleBar, QgsLayoutItemShape, QgsLayoutMeasurement,
                       QgsLayoutPoint, QgsLayoutSize, QgsPrintLayout, QgsProject, QgsProperty,
                       QgsLayoutObject, QgsUnitTypes, QgsReadWriteContext, QgsLayoutItemPage,
                       QgsTextFormat, QgsFillSymbol, QgsRectangle)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtXml import QDomDocument

HERE = os.path.dirname(os.path.abspath(__file__))
FONT = 'DejaVu Sans'
PAGES = {'letter': (215.9, 279.4), 'a4': (210.0, 297.0)}  # portrait width, height in mm
MARGIN = 10.0


def font(size, bold=False):
    f = QFont(FONT)
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def label(layout, item_id, text, x, y, w, h, size=9.0, bold=False, color=QColor(30, 30, 30),
          halign=Qt.AlignLeft, valign=Qt.AlignTop, frame=False, background=None):
    item = QgsLayoutItemLabel(layout)
    item.setId(item_id)
    item.setText(text)
    item.setFont(font(size, bold))
    item.setFontColor(color)
    item.setHAlign(halign)
    item.setVAlign(valign)
    item.setMarginX(1.0)
    item.setMarginY(0.5)
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    item.setFrameEnabled(frame)
    if background is not None:
        item.setBackgroundEnabled(True)
        item.setBackgroundColor(background)
    layout.addLayoutItem(item)
    return item


def picture(layout, item_id, x, y, w, h, source_expression=None, path=None):
    item = QgsLayoutItemPicture(layout)
    item.setId(item_id)
    item.setResizeMode(QgsLayoutItemPicture.Zoom)
    if path:
        item.setPicturePath(path)
    if source_expression:
        item.dataDefinedProperties().setProperty(QgsLayoutObject.PictureSource,
                                                 QgsProperty.fromExpression(source_expression))
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(item)
    return item


def band(layout, item_id, x, y, w, h, color):
    item = QgsLayoutItemShape(layout)
    item.setId(item_id)
    item.setShapeType(QgsLayoutItemShape.Rectangle)
    item.setSymbol(QgsFillSymbol.createSimple({'color': color.name(), 'outline_style': 'no'}))
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(item)
    return item


def map_item(layout, x, y, w, h, atlas=False):
    item = QgsLayoutItemMap(layout)
    item.setId('main_map')
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    item.setExtent(QgsRectangle(0, 0, w * 100, h * 100))  # replaced by the project's extent on export
    item.setFrameEnabled(True)
    item.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, QgsUnitTypes.LayoutMillimeters))
    if atlas:
        item.setAtlasDriven(True)
        item.setAtlasScalingMode(QgsLayoutItemMap.Auto)
        item.setAtlasMargin(0.12)
    layout.addLayoutItem(item)
    return item


def decorations(layout, the_map, x, y, w, h):
    """North arrow (top right of the map) and scale bar (bottom left)."""
    arrow = picture(layout, 'north_arrow', x + w - 13, y + 3, 10, 14,
                    path=os.path.join(QgsApplication.svgPaths()[0], 'arrows', 'NorthArrow_02.svg')
                    if QgsApplication.svgPaths() else None)
    arrow.setLinkedMap(the_map)
    arrow.setNorthMode(QgsLayoutItemPicture.GridNorth)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setId('scalebar')
    bar.setStyle('Single Box')
    bar.setLinkedMap(the_map)
    bar.applyDefaultSize()
    bar.setUnits(QgsUnitTypes.DistanceKilometers)
    bar.setUnitLabel('km')
    bar.setMapUnitsPerScaleBarUnit(1.0)
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    fmt = QgsTextFormat()
    fmt.setFont(font(7))
    fmt.setSize(7)
    bar.setTextFormat(fmt)
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 220))
    bar.attemptMove(QgsLayoutPoint(x + 3, y + h - 14, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(bar)


def legend(layout, the_map, x, y, w, h, title='Legend'):
    item = QgsLayoutItemLegend(layout)
    item.setId('legend')
    item.setTitle(title)
    item.setLinkedMap(the_map)
    item.setResizeToContents(False)
    item.setBackgroundEnabled(True)
    item.setBackgroundColor(QColor(255, 255, 255, 230))
    item.setFrameEnabled(True)
    item.setFrameStrokeWidth(QgsLayoutMeasurement(0.2, QgsUnitTypes.LayoutMillimeters))
    item.setSymbolHeight(3.5)
    item.setSymbolWidth(5.0)
    for style, size, bold in ((QgsLegendStyle.Title, 9, True), (QgsLegendStyle.Group, 8, True),
                              (QgsLegendStyle.Subgroup, 7.5, True), (QgsLegendStyle.SymbolLabel, 7, False)):
        item.setStyleFont(style, font(size, bold))
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(item)
    return item


from qgis.core import QgsLegendStyle  # noqa: E402 (used above, imported after the helpers for clarity)


def header(layout, W, title_expr, subtitle_expr):
    band(layout, 'header_band', 0, 0, W, 25, QColor(236, 240, 245))
    label(layout, 'title', title_expr, MARGIN, 5, W - 2 * MARGIN - 95, 10, size=16, bold=True)
    label(layout, 'subtitle', subtitle_expr, MARGIN, 15.5, W - 2 * MARGIN - 25, 8, size=8.5)
    label(layout, 'marking', '[% @statdesk_marking %]', W - MARGIN - 95, 4, 72, 11, size=10, bold=True,
          color=QColor(170, 0, 0), halign=Qt.AlignRight)
    picture(layout, 'logo', W - MARGIN - 20, 3, 20, 19, source_expression='@statdesk_logo')


def footer(layout, W, H, extra=''):
    label(layout, 'privacy', '[% @statdesk_privacy %]', MARGIN, H - 19.5, W - 2 * MARGIN, 9, size=7, bold=True,
          color=QColor(120, 0, 0))
    label(layout, 'footer',
          'Data currency: [% @statdesk_currency %]' + extra + '\nStatDesk [% @statdesk_version %] · '
          '[% @statdesk_city %] · produced [% @statdesk_produced %]',
          MARGIN, H - 10, W - 2 * MARGIN, 8, size=6, color=QColor(90, 90, 90))


def new_layout(W, H, name):
    project = QgsProject.instance()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(name)
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(W, H, QgsUnitTypes.LayoutMillimeters))
    return layout


def citywide(W, H, landscape):
    layout = new_layout(W, H, 'StatDesk citywide briefing')
    header(layout, W, '[% @statdesk_title %]',
           'Period [% @statdesk_period %] (compared with [% @statdesk_previous_period %]) · [% @statdesk_mode_text %]')
    top = 28.0
    bottom = H - 21.0
    if landscape:
        map_w = (W - 2 * MARGIN) * 0.58
        map_h = bottom - top
        the_map = map_item(layout, MARGIN, top, map_w, map_h)
        decorations(layout, the_map, MARGIN, top, map_w, map_h)
        legend(layout, the_map, MARGIN + map_w - 52, top + map_h - 46, 51, 45)
        cx = MARGIN + map_w + 5
        cw = W - MARGIN - cx
        label(layout, 'figures', '[% @statdesk_figures %]', cx, top, cw, 40, size=8.5, frame=True,
              background=QColor(250, 250, 250))
        picture(layout, 'chart_hourly', cx, top + 42, cw, 46)
        picture(layout, 'chart_monthly', cx, top + 90, cw, 40)
        label(layout, 'extras', '[% @statdesk_extras %]', cx, top + 132, cw, bottom - top - 132, size=7.5)
    else:
        map_w = W - 2 * MARGIN
        map_h = 125.0
        the_map = map_item(layout, MARGIN, top, map_w, map_h)
        decorations(layout, the_map, MARGIN, top, map_w, map_h)
        legend(layout, the_map, MARGIN + map_w - 52, top + map_h - 46, 51, 45)
        y = top + map_h + 3
        cw = (W - 2 * MARGIN - 4) / 2
        label(layout, 'figures', '[% @statdesk_figures %]', MARGIN, y, cw, 44, size=8.5, frame=True,
              background=QColor(250, 250, 250))
        picture(layout, 'chart_hourly', MARGIN + cw + 4, y, cw, 50)
        y2 = y + 52
        picture(layout, 'chart_monthly', MARGIN, y2, cw, bottom - y2 - 1)
        label(layout, 'extras', '[% @statdesk_extras %]', MARGIN + cw + 4, y2, cw, bottom - y2 - 1, size=7.5)
    footer(layout, W, H)
    return layout


def atlas_page(W, H, landscape, name, title_expr, text_items):
    """Shared frame of the atlas templates: header, atlas-driven map, legend, text column, footer."""
    layout = new_layout(W, H, name)
    header(layout, W, title_expr,
           'Period [% @statdesk_period %] (compared with [% @statdesk_previous_period %]) · [% @statdesk_mode_text %]'
           ' · page [% @atlas_featurenumber %] of [% @atlas_totalfeatures %]')
    top = 28.0
    bottom = H - 21.0
    if landscape:
        map_w = (W - 2 * MARGIN) * 0.62
        map_h = bottom - top
        the_map = map_item(layout, MARGIN, top, map_w, map_h, atlas=True)
        decorations(layout, the_map, MARGIN, top, map_w, map_h)
        cx = MARGIN + map_w + 5
        cw = W - MARGIN - cx
        y = top
        for item_id, expr, h in text_items:
            label(layout, item_id, expr, cx, y, cw, h, size=8.5, frame=True, background=QColor(250, 250, 250))
            y += h + 3
        legend(layout, the_map, cx, y, cw, bottom - y)
    else:
        map_w = W - 2 * MARGIN
        map_h = 140.0
        the_map = map_item(layout, MARGIN, top, map_w, map_h, atlas=True)
        decorations(layout, the_map, MARGIN, top, map_w, map_h)
        y = top + map_h + 3
        cw = (W - 2 * MARGIN - 4) / 2
        yl = y
        for item_id, expr, h in text_items:
            label(layout, item_id, expr, MARGIN, yl, cw, h, size=8.5, frame=True, background=QColor(250, 250, 250))
            yl += h + 3
        legend(layout, the_map, MARGIN + cw + 4, y, cw, bottom - y)
    footer(layout, W, H)
    return layout


def neighborhoods(W, H, landscape):
    key = "attribute(@atlas_feature, 'nbh_id')"
    # The before/after figures are six short lines; the grant box (budget, milestones, outcome of
    # each grant, from core/grants) gets the rest: in portrait all the room above the footer.
    figures_h = 30 if landscape else 32
    grant_h = 60 if landscape else (H - 21.0) - (28.0 + 140.0 + 3) - figures_h - 4
    return atlas_page(W, H, landscape, 'StatDesk grant neighborhood atlas',
                      "[% @statdesk_city %]: [% attribute(@atlas_feature, 'name') %]",
                      [('figures', '[%% map_get(json_to_map(@statdesk_nbh_figures), %s) %%]' % key, figures_h),
                       ('grant', '[%% map_get(json_to_map(@statdesk_nbh_grant), %s) %%]' % key, grant_h)])


def clusters(W, H, landscape):
    return atlas_page(W, H, landscape, 'StatDesk Task Force cluster sheets',
                      "[% @statdesk_city %]: cluster [% attribute(@atlas_feature, 'cluster_label') %]",
                      [('card', "[% attribute(@atlas_feature, 'card') %]", 100 if landscape else 70)])


def save(layout, path):
    doc = QDomDocument()
    if not layout.saveAsTemplate(path, QgsReadWriteContext()):
        raise SystemExit('cannot write ' + path)


def main():
    QgsApplication.setPrefixPath('/usr', True)
    app = QgsApplication([], False)
    app.initQgis()
    for page, (pw, ph) in PAGES.items():
        for orientation in ('landscape', 'portrait'):
            landscape = orientation == 'landscape'
            W, H = (ph, pw) if landscape else (pw, ph)
            for kind, build in (('citywide', citywide), ('neighborhoods', neighborhoods), ('clusters', clusters)):
                layout = build(W, H, landscape)
                save(layout, os.path.join(HERE, '%s_%s_%s.qpt' % (kind, page, orientation)))
    app.exitQgis()


if __name__ == '__main__':
    sys.exit(main())
