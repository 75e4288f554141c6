#include "models/secrets/secretref.h"

#include <QFile>
#include <QFileInfo>

namespace sightline {

Result<SecretRef> SecretRef::parse(const QString &reference)
{
    const qsizetype colon = reference.indexOf(u':');
    const QString scheme = reference.left(colon);
    const QString name = colon > 0 ? reference.mid(colon + 1) : QString();
    if (colon <= 0 || name.isEmpty())
        return Error{QStringLiteral("a secret is referenced as env:NAME, file:PATH or keychain:NAME, "
                                    "never written into the profile itself")};
    if (scheme == QLatin1String("env"))
        return SecretRef(Store::Environment, name);
    if (scheme == QLatin1String("file"))
        return SecretRef(Store::File, name);
    if (scheme == QLatin1String("keychain"))
        return SecretRef(Store::Keychain, name);
    return Error{QStringLiteral("unknown secret store '%1': use env:, file: or keychain:").arg(scheme)};
}

QString SecretRef::describe() const
{
    switch (m_store) {
    case Store::Environment:
        return QStringLiteral("env:") + m_name;
    case Store::File:
        return QStringLiteral("file:") + m_name;
    case Store::Keychain:
        return QStringLiteral("keychain:") + m_name;
    }
    return {};
}

Result<Secret> SecretRef::resolve() const
{
    switch (m_store) {
    case Store::Environment: {
        const QByteArray value = qgetenv(m_name.toLocal8Bit().constData());
        if (value.isEmpty())
            return Error{QStringLiteral("the environment variable %1 is not set").arg(m_name)};
        return Secret(value);
    }
    case Store::File: {
        const QFileInfo info(m_name);
        if (!info.exists())
            return Error{QStringLiteral("the secret file %1 does not exist").arg(m_name)};
        const auto others = QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                            QFileDevice::WriteOther;
        if (info.permissions() & others)
            return Error{
                QStringLiteral("the secret file %1 is readable or writable by others than its owner; "
                               "run chmod 600 on it")
                    .arg(m_name)};
        QFile file(m_name);
        if (!file.open(QIODevice::ReadOnly))
            return Error{
                QStringLiteral("cannot read the secret file %1: %2").arg(m_name, file.errorString())};
        QByteArray value = file.readAll();
        while (value.endsWith('\n') || value.endsWith('\r'))
            value.chop(1);
        return Secret(value);
    }
    case Store::Keychain:
        return Error{QStringLiteral("keychain:%1: this build has no keychain backend; reference the secret "
                                    "as env:NAME or file:PATH")
                         .arg(m_name)};
    }
    return Error{QStringLiteral("unknown secret store")};
}

} // namespace sightline
