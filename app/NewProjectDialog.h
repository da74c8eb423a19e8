/**
 * \file NewProjectDialog.h
 * File ▸ New: what a new project is made from.
 */
#pragma once

#include "project/ProjectFile.h"

#include <QDialog>

class QLineEdit;
class QLabel;
class QDialogButtonBox;
class QgsProjectionSelectionWidget;

namespace statdesk
{

/**
 * Asks for the city name, a projected CRS (metres or feet; geographic CRSs are refused with
 * the reason) and the file to create. Validation happens on OK; the dialog does not write.
 */
class NewProjectDialog : public QDialog
{
    Q_OBJECT
  public:
    explicit NewProjectDialog( QWidget *parent = nullptr );

    ProjectSettings settings() const;
    QString filePath() const;

    //! Empty when \a crs is usable for a project, else the reason for the user.
    static QString crsProblem( const QgsCoordinateReferenceSystem &crs );

    void accept() override;

  private:
    void browse();

    QLineEdit *mCityName = nullptr;
    QgsProjectionSelectionWidget *mCrs = nullptr;
    QLineEdit *mPath = nullptr;
    QLabel *mMessage = nullptr;
};

} // namespace statdesk
