/**
 * \file OutcomeChart.h
 * The outcomes chart of the grants panel: one line per grant neighborhood (and the pooled
 * estimate) with the difference-in-differences rate ratio and its 95% interval on a log axis,
 * a reference line at 1 (no change relative to the comparison neighborhoods). Estimates with
 * too few events are drawn hollow and grey, so nobody reads a verdict into them.
 */
#pragma once

#include "grants/GrantAnalysis.h"

#include <QWidget>

namespace statdesk
{

class OutcomeChart : public QWidget
{
    Q_OBJECT
  public:
    struct Line
    {
        QString label;
        grants::DidEstimate estimate;
        bool pooled = false;
    };

    explicit OutcomeChart( QWidget *parent = nullptr );

    void setLines( const QVector<Line> &lines, const QString &measure );
    const QVector<Line> &lines() const { return mLines; }
    //! The axis range (rate ratios) the chart shows now.
    QPair<double, double> axisRange() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent( QPaintEvent *event ) override;

  private:
    QVector<Line> mLines;
    QString mMeasure;
};

} // namespace statdesk
