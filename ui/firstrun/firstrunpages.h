#pragma once

#include "connectors/profile/connectionprofile.h"
#include "models/result.h"

#include <QWizardPage>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace sightline {

class ConnectionTester;
struct ConnectionTestResult;

// Demo sandbox or a real connection.
class ChoicePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit ChoicePage(QWidget *parent = nullptr);
    int nextId() const override;
    bool demoChosen() const;

private:
    QRadioButton *m_demo;
    QRadioButton *m_real;
};

// Kind, URL, what to read (REST), authentication and where its secret lives.
class ConnectionPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit ConnectionPage(QWidget *parent = nullptr);
    bool isComplete() const override;
    bool validatePage() override;
    Result<ConnectionProfile> profile() const;

private:
    void addConnectionFields(QFormLayout *form);
    void addAuthFields(QFormLayout *form);
    void updateVisibleFields();
    AuthSettings auth() const;
    QString mappingFile() const;
    QString problemWith(const ConnectionProfile &p) const; // in the user's words; empty: none

    QLineEdit *m_name;
    QComboBox *m_kind;
    QLineEdit *m_url;
    QLineEdit *m_resourcePath;
    QComboBox *m_mapping;
    QComboBox *m_authType;
    QLineEdit *m_header;
    QLineEdit *m_user;
    QLineEdit *m_tokenUrl;
    QLineEdit *m_scope;
    QComboBox *m_secretStore;
    QLineEdit *m_secretName;
    QLabel *m_problem;
    QList<QWidget *> m_restOnly;
    QHash<QWidget *, QList<int>> m_authOnly; // field -> the auth types that show it
};

// Runs the connection test off the GUI thread and says what it found.
class TestPage : public QWizardPage
{
    Q_OBJECT
public:
    TestPage(ConnectionTester *tester, QWidget *parent = nullptr);
    void initializePage() override;
    bool isComplete() const override;
    void runTest();
    bool testing() const { return m_testing; }

Q_SIGNALS:
    void tested(bool ok);

private:
    void show(const ConnectionTestResult &result);

    ConnectionTester *m_tester;
    QPushButton *m_run;
    QLabel *m_status;
    QLabel *m_detail;
    quint64 m_job = 0;
    bool m_testing = false;
};

// What Finish will write, and where.
class DonePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit DonePage(QWidget *parent = nullptr);
    void initializePage() override;

private:
    QLabel *m_summary;
};

} // namespace sightline
