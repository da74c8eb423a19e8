#include "common/Translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QTranslator>

namespace statdesk
{

QString installTranslations( const QLocale &locale )
{
  QCoreApplication *app = QCoreApplication::instance();
  if ( !app || locale.language() == QLocale::English || locale.language() == QLocale::C )
    return QString();
  // Qt's own dialogs (file dialogs, message box buttons).
  auto *qt = new QTranslator( app );
  if ( qt->load( locale, QStringLiteral( "qtbase" ), QStringLiteral( "_" ), QLibraryInfo::location( QLibraryInfo::TranslationsPath ) ) )
    QCoreApplication::installTranslator( qt );
  else
    delete qt;

  const QStringList directories {
      QDir( QCoreApplication::applicationDirPath() ).filePath( QStringLiteral( "../share/statdesk/translations" ) ),
      QStringLiteral( STATDESK_INSTALL_PREFIX "/share/statdesk/translations" ),
  };
  for ( const QString &directory : directories )
  {
    auto *translator = new QTranslator( app );
    if ( translator->load( locale, QStringLiteral( "statdesk" ), QStringLiteral( "_" ), directory ) )
    {
      QCoreApplication::installTranslator( translator );
      return translator->filePath();
    }
    delete translator;
  }
  return QString();
}

} // namespace statdesk
