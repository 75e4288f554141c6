#pragma once

#include "models/result.h"

#include <QByteArray>
#include <QString>

namespace sightline {

// A secret's value. It has no QDebug operator and no conversion to QString on purpose: it goes
// into a request header and nowhere else.
class Secret
{
public:
    Secret() = default;
    explicit Secret(QByteArray value) : m_value(std::move(value)) {}
    const QByteArray &reveal() const { return m_value; }
    bool isEmpty() const { return m_value.isEmpty(); }

private:
    QByteArray m_value;
};

// Where a secret lives, as written in a connection profile: "env:NAME", "file:PATH" (refused
// unless only its owner can read it) or "keychain:NAME". Profiles hold these references, never
// the secret itself; describe() is what logs and messages may show.
class SecretRef
{
public:
    enum class Store { Environment, File, Keychain };

    static Result<SecretRef> parse(const QString &reference);

    Store store() const { return m_store; }
    QString describe() const; // "env:ERP_TOKEN" — the reference, never the value
    Result<Secret> resolve() const;

private:
    SecretRef(Store store, QString name) : m_store(store), m_name(std::move(name)) {}

    Store m_store;
    QString m_name;
};

} // namespace sightline
