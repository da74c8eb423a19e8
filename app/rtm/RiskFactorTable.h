/**
 * \file RiskFactorTable.h
 * The risk factors of an RTM run as the panel edits them: a table (name, layer, filter,
 * operationalisation, spatial influence, increment) and the dialog that adds or edits one
 * factor, with a helper that builds a filter from a column and one of its values and a live
 * count of the located features it selects. No cap on the number of factors.
 *
 * Both read the project through the ProjectFile they are given (GUI thread only).
 */
#pragma once

#include "rtm/RtmEngine.h"

#include <QDialog>
#include <QTableWidget>

#include <qgswkbtypes.h>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;

namespace statdesk
{
class ProjectFile;

//! A geometry table of the project that RTM can use.
struct RtmLayerChoice
{
  QString table;
  QgsWkbTypes::GeometryType geometry = QgsWkbTypes::UnknownGeometry;
  //! "vacant_parcels (polygons)"
  QString label() const;
};

//! The project's geometry layers (RTM's own output tables excluded), by name.
QList<RtmLayerChoice> rtmLayerChoices( ProjectFile *project );

class RiskFactorDialog : public QDialog
{
  Q_OBJECT
public:
  RiskFactorDialog( ProjectFile *project, const rtm::RiskFactorSpec &factor, const QStringList &usedNames, QWidget *parent = nullptr );
  rtm::RiskFactorSpec factor() const;

public slots:
  void accept() override;

private:
  void layerChanged();
  void columnChanged();
  void useValue();
  void updateCount();

  ProjectFile *mProject = nullptr;
  QStringList mUsedNames;
  bool mNameChosen = false; //!< the user named the factor: no more automatic names
  QLineEdit *mName = nullptr;
  QComboBox *mLayer = nullptr;
  QLineEdit *mFilter = nullptr;
  QComboBox *mColumn = nullptr;
  QComboBox *mValue = nullptr;
  QLabel *mCount = nullptr;
  QComboBox *mOperationalisation = nullptr;
  QDoubleSpinBox *mInfluence = nullptr;
  QComboBox *mIncrement = nullptr;
};

class RiskFactorTable : public QTableWidget
{
  Q_OBJECT
public:
  explicit RiskFactorTable( QWidget *parent = nullptr );

  void setProject( ProjectFile *project ) { mProject = project; }
  void setFactors( const QList<rtm::RiskFactorSpec> &factors );
  QList<rtm::RiskFactorSpec> factors() const { return mFactors; }

public slots:
  void addFactor();
  void editCurrent();
  void removeSelected();

private:
  void refresh();
  QStringList namesExcept( int row ) const;

  ProjectFile *mProject = nullptr;
  QList<rtm::RiskFactorSpec> mFactors;
};

} // namespace statdesk
