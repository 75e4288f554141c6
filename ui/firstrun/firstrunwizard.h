#pragma once

#include "connectors/profile/connectionprofile.h"
#include "models/result.h"

#include <QWizard>

class QLabel;

namespace sightline {

class ConnectionTester;

// The first start with nothing configured (no profiles file in the user's config folder): offers
// the demo sandbox or a real connection (kind, URL, authentication with the secret given as an
// environment variable or a file, a connection test with a clear result), then writes the
// profiles file. Cancel writes nothing: the console opens empty and asks again next time.
class FirstRunWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId { ChoicePageId, ConnectionPageId, TestPageId, DonePageId };

    explicit FirstRunWizard(QString profilesPath, QWidget *parent = nullptr);
    ~FirstRunWizard() override;

    // Shows the wizard (modal) when the profiles file is absent. True when it wrote one.
    static bool runIfDue(const QString &profilesPath);

    bool demoChosen() const;
    // The connection the pages describe, checked by the profile reader's own rules.
    Result<ConnectionProfile> connectionProfile() const;
    QString profilesPath() const { return m_profilesPath; }
    ConnectionTester *tester() const { return m_tester; }

    void accept() override; // writes the profiles file; stays open with the reason when it cannot

Q_SIGNALS:
    void profilesWritten(const QString &path);

private:
    QString m_profilesPath;
    ConnectionTester *m_tester;
    QLabel *m_writeError = nullptr;
};

} // namespace sightline
