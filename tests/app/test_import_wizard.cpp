// The import wizard as an analyst uses it: a KCPD export shows its first rows, the layout found
// and the column mapping; the wrong kind is refused with a hint; the import runs as a task and
// its summary matches the importer's; Cancel during the import leaves the project as it was.
#include "../core/ImportTestSupport.h"

#include "ImportWizard.h"
#include "project/Schema.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>

using namespace statdesk;

namespace
{
qint64 count( ProjectFile &project, const QString &table )
{
  return project.database().scalar( QStringLiteral( "SELECT COUNT(*) FROM \"%1\"" ).arg( table ) ).toLongLong();
}

//! \a copies of the data rows of \a source, each copy with its own report numbers.
bool writeReplicated( const QString &source, const QString &target, int copies )
{
  QFile in( source ), out( target );
  if ( !in.open( QIODevice::ReadOnly ) || !out.open( QIODevice::WriteOnly ) )
    return false;
  const QList<QByteArray> lines = in.readAll().split( '\n' );
  out.write( lines.first() + '\n' );
  for ( int c = 0; c < copies; ++c )
    for ( int i = 1; i < lines.size(); ++i )
      if ( !lines[i].trimmed().isEmpty() )
        out.write( QByteArray( lines[i] ).replace( "KC25", QStringLiteral( "KC%1-" ).arg( c ).toLatin1() ) + '\n' );
  return true;
}
} // namespace

class TestImportWizard : public QObject
{
    Q_OBJECT

  private slots:
    void previewAndImport()
    {
      QTemporaryDir dir;
      auto project = test::newKcProject( dir );
      QVERIFY( project );
      const QString file = test::testData( QStringLiteral( "kc/crime_2025.csv" ) );

      ImportWizard wizard( project.get() );
      QSignalSpy finished( &wizard, &ImportWizard::importFinished );
      wizard.show();
      wizard.setFile( file, ingest::ImportKind::Crime );
      QVERIFY( wizard.currentPage()->isComplete() );
      wizard.next();

      // The preview: the file's header and first rows, the layout, which column feeds which field.
      auto *preview = wizard.findChild<QTableWidget *>( QStringLiteral( "importPreviewTable" ) );
      QVERIFY( preview );
      QCOMPARE( preview->horizontalHeaderItem( 0 )->text(), QStringLiteral( "Report_No" ) );
      QCOMPARE( preview->horizontalHeaderItem( preview->columnCount() - 1 )->text(), QStringLiteral( "Location" ) );
      QCOMPARE( preview->rowCount(), 7 );
      QCOMPARE( preview->item( 0, 0 )->text(), QStringLiteral( "KC25031876" ) );
      const QString layout = wizard.findChild<QLabel *>( QStringLiteral( "importLayout" ) )->text();
      QVERIFY2( layout.contains( QStringLiteral( "Layout:" ) ), qPrintable( layout ) );
      auto *mapping = wizard.findChild<QTableWidget *>( QStringLiteral( "importMappingTable" ) );
      QMap<QString, QString> columns;
      for ( int r = 0; r < mapping->rowCount(); ++r )
        columns.insert( mapping->item( r, 0 )->text(), mapping->item( r, 1 )->text() );
      QVERIFY2( columns.values().contains( QStringLiteral( "IBRS" ) ), qPrintable( QStringList( columns.values() ).join( ',' ) ) );
      QVERIFY( columns.values().contains( QStringLiteral( "Location" ) ) );
      QVERIFY( wizard.currentPage()->isComplete() );

      // The import runs in a task; the wizard lands on the summary.
      wizard.next();
      QTRY_VERIFY_WITH_TIMEOUT( wizard.findChild<QPlainTextEdit *>( QStringLiteral( "importSummary" ) )->toPlainText().contains( QStringLiteral( "Rows read" ) ), 60000 );
      QCOMPARE( finished.count(), 1 );
      const ingest::ImportSummary shown = wizard.summary();
      QVERIFY2( shown.ok, qPrintable( shown.error ) );

      // The same file through the importer directly: the same counts, and the project holds them.
      QTemporaryDir otherDir;
      auto other = test::newKcProject( otherDir );
      const ingest::ImportSummary direct = test::importFile( *other, ingest::ImportKind::Crime, file );
      QCOMPARE( shown.rowsRead, direct.rowsRead );
      QCOMPARE( shown.imported, direct.imported );
      QCOMPARE( shown.merged, direct.merged );
      QCOMPARE( shown.rejected, direct.rejected );
      QCOMPARE( shown.personRows, direct.personRows );
      QCOMPARE( count( *project, schema::kIncidents ), count( *other, schema::kIncidents ) );
      QVERIFY( count( *project, schema::kIncidents ) > 0 );
      const QString text = wizard.findChild<QPlainTextEdit *>( QStringLiteral( "importSummary" ) )->toPlainText();
      QVERIFY2( text.contains( QStringLiteral( "Rows read: %1" ).arg( direct.rowsRead ) ), qPrintable( text ) );
    }

    void wrongKindIsRefusedWithAHint()
    {
      QTemporaryDir dir;
      auto project = test::newKcProject( dir );
      QVERIFY( project );
      const qint64 before = count( *project, schema::kIncidents );
      ImportWizard wizard( project.get() );
      wizard.show();
      wizard.setFile( test::testData( QStringLiteral( "kc/crime_2025.csv" ) ), ingest::ImportKind::ServiceRequests );
      wizard.next();
      QVERIFY( !wizard.currentPage()->isComplete() ); // Next stays disabled
      const QString layout = wizard.findChild<QLabel *>( QStringLiteral( "importLayout" ) )->text();
      QVERIFY2( layout.contains( QStringLiteral( "cannot be imported" ) ), qPrintable( layout ) );
      QVERIFY2( layout.contains( ingest::kindName( ingest::ImportKind::Crime ) ), qPrintable( layout ) );
      QCOMPARE( count( *project, schema::kIncidents ), before );
    }

    void cancelLeavesTheProjectUnchanged()
    {
      QTemporaryDir dir;
      auto project = test::newKcProject( dir );
      QVERIFY( project );
      // A first import, then a big second file whose import is canceled.
      QVERIFY( test::importFile( *project, ingest::ImportKind::Crime, test::testData( QStringLiteral( "kc/crime_2017.csv" ) ) ).ok );
      const QStringList tables { schema::kIncidents, schema::kImportRejects, schema::kImportLog };
      const QString before = test::tablesHash( *project, tables );
      const QString big = dir.filePath( QStringLiteral( "crime_big.csv" ) );
      QVERIFY( writeReplicated( test::testData( QStringLiteral( "kc/crime_2025.csv" ) ), big, 30000 ) );

      // Canceled at once (before the task started) and canceled while rows are being written.
      for ( const bool midway : { false, true } )
      {
        ImportWizard wizard( project.get() );
        QSignalSpy finished( &wizard, &ImportWizard::importFinished );
        wizard.show();
        wizard.setFile( big, ingest::ImportKind::Crime );
        wizard.next();
        QVERIFY( wizard.currentPage()->isComplete() );
        wizard.next(); // starts the task
        auto *cancel = wizard.findChild<QPushButton *>( QStringLiteral( "importCancel" ) );
        QVERIFY( cancel->isEnabled() );
        if ( midway )
        {
          // Cancel from the first progress report on (rows are being read and written by then).
          auto *progress = wizard.findChild<QProgressBar *>( QStringLiteral( "importProgress" ) );
          bool clicked = false;
          connect( progress, &QProgressBar::valueChanged, cancel, [&]( int value ) {
            if ( value > 0 && !clicked )
            {
              clicked = true;
              cancel->click();
            }
          } );
          QTRY_VERIFY_WITH_TIMEOUT( clicked, 60000 );
        }
        else
          cancel->click();
        auto *summary = wizard.findChild<QPlainTextEdit *>( QStringLiteral( "importSummary" ) );
        QTRY_VERIFY_WITH_TIMEOUT( !summary->toPlainText().isEmpty(), 120000 );
        QVERIFY2( summary->toPlainText().contains( QStringLiteral( "canceled" ) ), qPrintable( summary->toPlainText() ) );
        QVERIFY( wizard.summary().canceled );
        QCOMPARE( finished.count(), 0 );
        QCOMPARE( test::tablesHash( *project, tables ), before );
      }
    }
};

STATDESK_QGIS_TEST_MAIN( TestImportWizard )
#include "test_import_wizard.moc"
