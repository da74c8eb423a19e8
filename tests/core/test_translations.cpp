// The Spanish translation is built and loaded for a Spanish locale; English needs none.
#include "TestSupport.h"

#include "common/Translations.h"

#include <QCoreApplication>
#include <QTest>

class TestTranslations : public QObject
{
    Q_OBJECT

  private slots:
    void english()
    {
      QVERIFY( statdesk::installTranslations( QLocale( QLocale::English, QLocale::UnitedStates ) ).isEmpty() );
      QCOMPARE( QCoreApplication::translate( "statdesk::MainWindow", "&File" ), QStringLiteral( "&File" ) );
    }
    void spanish()
    {
      const QString qm = statdesk::installTranslations( QLocale( QLocale::Spanish, QLocale::UnitedStates ) );
      QVERIFY2( qm.endsWith( QStringLiteral( "statdesk_es.qm" ) ), qPrintable( qm ) );
      QCOMPARE( QCoreApplication::translate( "statdesk::MainWindow", "&File" ), QStringLiteral( "&Archivo" ) );
      QCOMPARE( QCoreApplication::translate( "statdesk::ProjectFromSourceDialog", "Create Project" ), QStringLiteral( "Crear proyecto" ) );
      // Untranslated strings stay English.
      QCOMPARE( QCoreApplication::translate( "statdesk::MainWindow", "no such source text" ), QStringLiteral( "no such source text" ) );
    }
};

STATDESK_QGIS_TEST_MAIN( TestTranslations )
#include "test_translations.moc"
