/**
 * \file DateRangeWidget.h
 * The toolbar's date-range filter for incidents and 311 requests.
 */
#pragma once

#include <QDate>
#include <QWidget>

class QCheckBox;
class QDateEdit;

namespace statdesk
{

/**
 * From / to date edits and an "All dates" switch. Emits rangeChanged() when the user changes
 * the range (not when set programmatically); null dates mean "no limit". Owns its children.
 */
class DateRangeWidget : public QWidget
{
    Q_OBJECT
  public:
    explicit DateRangeWidget( QWidget *parent = nullptr );

    //! The first and last dates the data holds (bounds of the edits and the initial range).
    void setDataRange( const QDate &first, const QDate &last );
    //! Shows \a from / \a to; both null: all dates. Does not emit.
    void setRange( const QDate &from, const QDate &to );
    QDate from() const;
    QDate to() const;
    bool allDates() const;

  signals:
    void rangeChanged( const QDate &from, const QDate &to );

  private:
    void emitChanged();
    void updateEnabled();

    QCheckBox *mAll = nullptr;
    QDateEdit *mFrom = nullptr;
    QDateEdit *mTo = nullptr;
    bool mSilent = false;
};

} // namespace statdesk
