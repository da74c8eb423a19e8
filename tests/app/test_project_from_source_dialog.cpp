// Opening a GeoPackage that is not a project: the dialog lists its layers with suggestions,
// makes the project in a task (a failing choice leaves no file), and the window opens it with
// the copied layers in their own group.
#include "../core/SourceGpkgFixture.h"
#include "../core/TestSupport.h"

#include "MainWindow.h"
#include "ProjectFromSourceDialog.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTableWidget>

#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgsproject.h>

using namespace statdesk;

class TestProjectFromSourceDialog : public QObject
{
    Q_OBJECT

  private slots:
    void createsAndOpens()
    {
      QTemporaryDir dir;
      const QString source = dir.filePath( QStringLiteral( "city-layers.gpkg" ) );
      QVERIFY( test::writeCityLayersGpkg( source ) );
      const QByteArray before = test::fileHash( source );

      // The window refuses it as a project and says why (non-interactive: no dialog).
      MainWindow window;
      QString error;
      QVERIFY( !window.openProject( source, ProjectFile::Mode::ReadWrite, false, &error ) );
      QVERIFY2( error.contains( QStringLiteral( "not a StatDesk project" ), Qt::CaseInsensitive ), qPrintable( error ) );

      ProjectFromSourceDialog dialog( source );
      QVERIFY( dialog.isUsable() );
      auto *table = dialog.findChild<QTableWidget *>();
      QVERIFY( table );
      QCOMPARE( table->rowCount(), 4 );
      QMap<QString, QString> suggested;
      for ( int row = 0; row < table->rowCount(); ++row )
        suggested.insert( table->item( row, 0 )->text(), qobject_cast<QComboBox *>( table->cellWidget( row, 3 ) )->currentData().toString() );
      QCOMPARE( suggested.value( "kc_neighborhoods" ), QStringLiteral( "neighborhoods" ) );
      QCOMPARE( suggested.value( "dangerous_buildings_2025" ), QStringLiteral( "dangerous" ) );
      QCOMPARE( suggested.value( "street lights" ), QStringLiteral( "extra" ) );
      QCOMPARE( suggested.value( "notes" ), QStringLiteral( "skip" ) );
      QCOMPARE( dialog.plan().crs.authid(), QStringLiteral( "EPSG:32615" ) );
      if ( qEnvironmentVariableIsSet( "STATDESK_SCREENSHOT_DIR" ) ) // for people checking the look
      {
        dialog.show();
        QTest::qWait( 200 );
        dialog.grab().save( QDir( qEnvironmentVariable( "STATDESK_SCREENSHOT_DIR" ) ).filePath( QStringLiteral( "project-from-source.png" ) ) );
      }

      // A wrong choice: street lights are not crime records. The task fails, the dialog stays
      // open with the reason, and no file is left.
      const QString target = dir.filePath( QStringLiteral( "kc-project.gpkg" ) );
      dialog.setProjectPath( target );
      QVERIFY( dialog.setTarget( QStringLiteral( "street lights" ), QStringLiteral( "crime" ) ) );
      QSignalSpy finished( &dialog, &QDialog::finished );
      dialog.create();
      QTRY_VERIFY_WITH_TIMEOUT( dialog.summary().contains( QStringLiteral( "street lights" ) ), 60000 );
      QCOMPARE( finished.count(), 0 );
      QVERIFY( !QFile::exists( target ) );

      // The suggested choice works; the source is untouched.
      QVERIFY( dialog.setTarget( QStringLiteral( "street lights" ), QStringLiteral( "extra" ) ) );
      dialog.create();
      QTRY_COMPARE_WITH_TIMEOUT( finished.count(), 1, 60000 );
      QCOMPARE( dialog.result(), static_cast<int>( QDialog::Accepted ) );
      QVERIFY( QFile::exists( dialog.projectPath() ) );
      QCOMPARE( test::fileHash( source ), before );
      QVERIFY2( dialog.summary().contains( QStringLiteral( "5 features copied" ) ), qPrintable( dialog.summary() ) );

      QVERIFY2( window.openProject( dialog.projectPath(), ProjectFile::Mode::ReadWrite, false, &error ), qPrintable( error ) );
      QgsLayerTreeGroup *other = QgsProject::instance()->layerTreeRoot()->findGroup( QObject::tr( "Other layers" ) );
      QVERIFY( other );
      QCOMPARE( other->findLayers().size(), 1 );
      QCOMPARE( other->findLayers().at( 0 )->layer()->name(), QStringLiteral( "street lights" ) );
      QCOMPARE( window.project()->rowCount( QStringLiteral( "dangerous_buildings" ) ), 3 );
      QCOMPARE( window.project()->rowCount( QStringLiteral( "neighborhoods" ) ), 2 );
    }
};

STATDESK_QGIS_TEST_MAIN( TestProjectFromSourceDialog )
#include "test_project_from_source_dialog.moc"
