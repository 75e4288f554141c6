// Builds the .deb with cpack, unpacks it into a temporary root with dpkg-deb and checks what a
// person installing it gets: programs that run from there and find their data there, computed
// Depends, a valid desktop entry and AppStream metainfo, icons and the man page.
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString &program, const QStringList &args, const QProcessEnvironment &env = {},
        int timeoutMs = 120'000)
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10'000)) {
        r.err = QStringLiteral("%1 did not start: %2").arg(program, p.errorString());
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("%1 did not finish in %2 s").arg(program).arg(timeoutMs / 1000);
    }
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err += QString::fromUtf8(p.readAllStandardError());
    if (p.exitStatus() == QProcess::NormalExit)
        r.exitCode = p.exitCode();
    return r;
}

QString requireTool(const QString &name)
{
    const QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        qFatal("%s is missing: run installer/deps.sh", qPrintable(name));
    return path;
}

} // namespace

class TestPackage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void depends();
    void programsRunFromTheUnpackedRoot();
    void consoleFindsItsDataUnderThePrefix();
    void desktopEntryAndMetainfoValidate();
    void iconsAndManPage();
    void tarballRunsFromAnyFolder();

private:
    QTemporaryDir m_work;
    QString m_deb;
    QString m_root;
    QProcessEnvironment m_userEnv; // a fresh home: no profiles, no settings, no store
};

void TestPackage::initTestCase()
{
    QVERIFY(m_work.isValid());
    const QString packages = m_work.filePath(QStringLiteral("packages"));
    const Run cpack =
        run(QStringLiteral(SIGHTLINE_CPACK),
            {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
             QStringLiteral(SIGHTLINE_BUILD_DIR "/CPackConfig.cmake"), QStringLiteral("-B"), packages},
            {}, 170'000);
    QVERIFY2(cpack.exitCode == 0, qPrintable(cpack.out + cpack.err));
    const QStringList debs = QDir(packages).entryList({QStringLiteral("sightline_*.deb")}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    m_deb = QDir(packages).filePath(debs.constFirst());
    QVERIFY2(debs.constFirst().startsWith(QStringLiteral("sightline_" SIGHTLINE_VERSION "_")),
             qPrintable(debs.constFirst()));
    qInfo("package %s: %lld KiB", qPrintable(debs.constFirst()), QFileInfo(m_deb).size() / 1024);

    m_root = m_work.filePath(QStringLiteral("root"));
    const Run unpack = run(requireTool(QStringLiteral("dpkg-deb")), {QStringLiteral("-x"), m_deb, m_root});
    QVERIFY2(unpack.exitCode == 0, qPrintable(unpack.err));

    const QString home = m_work.filePath(QStringLiteral("home"));
    QVERIFY(QDir().mkpath(home));
    m_userEnv = QProcessEnvironment::systemEnvironment();
    m_userEnv.insert(QStringLiteral("HOME"), home);
    m_userEnv.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    m_userEnv.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    m_userEnv.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    m_userEnv.remove(QStringLiteral("SIGHTLINE_DATA_DIR"));
    m_userEnv.remove(QStringLiteral("LD_LIBRARY_PATH"));
}

void TestPackage::depends()
{
    const Run fields = run(requireTool(QStringLiteral("dpkg-deb")), {QStringLiteral("-f"), m_deb});
    QCOMPARE(fields.exitCode, 0);
    qInfo("%s", qPrintable(fields.out.trimmed()));
    QString depends;
    for (const QString &line : fields.out.split(u'\n')) {
        if (line.startsWith(QStringLiteral("Depends:")))
            depends = line;
    }
    // Computed by dpkg-shlibdeps from what the programs link ...
    for (const char *package : {"libqt6core6", "libqt6gui6", "libqt6widgets6", "libqt6network6", "libqt6sql6",
                                "libqt6websockets6", "libc6", "libstdc++6"})
        QVERIFY2(depends.contains(QLatin1String(package)),
                 qPrintable(QLatin1String(package) + u' ' + depends));
    // ... and the plugins loaded at run time, which no linker sees.
    QVERIFY2(depends.contains(QStringLiteral("libqt6sql6-sqlite")), qPrintable(depends));
    QVERIFY2(depends.contains(QStringLiteral("qt6-qpa-plugins")), qPrintable(depends));
    QVERIFY2(fields.out.contains(QStringLiteral("Version: " SIGHTLINE_VERSION)), qPrintable(fields.out));
}

void TestPackage::programsRunFromTheUnpackedRoot()
{
    for (const QString &program : {QStringLiteral("sightline-cli"), QStringLiteral("sightline-sandbox")})
        QVERIFY2(QFileInfo(m_root + QStringLiteral("/usr/bin/") + program).isExecutable(),
                 qPrintable(program));
    const Run version =
        run(m_root + QStringLiteral("/usr/bin/sightline-cli"), {QStringLiteral("--version")}, m_userEnv);
    QVERIFY2(version.exitCode == 0, qPrintable(version.err));
    QCOMPARE(version.out.trimmed(), QStringLiteral("sightline " SIGHTLINE_VERSION));
    const Run help =
        run(m_root + QStringLiteral("/usr/bin/sightline-sandbox"), {QStringLiteral("--help")}, m_userEnv);
    QVERIFY2(help.exitCode == 0 && help.out.contains(QStringLiteral("--port")),
             qPrintable(help.out + help.err));
}

void TestPackage::consoleFindsItsDataUnderThePrefix()
{
    const QString db = m_work.filePath(QStringLiteral("smoke.db"));
    const Run smoke = run(m_root + QStringLiteral("/usr/bin/sightline"),
                          {QStringLiteral("--smoke-test"), QStringLiteral("--db"), db}, m_userEnv, 60'000);
    QVERIFY2(smoke.exitCode == 0, qPrintable(smoke.out + smoke.err));
    QVERIFY2(smoke.out.contains(QStringLiteral("window shown")), qPrintable(smoke.out));
    const QString dataDir = QDir::cleanPath(m_root + QStringLiteral("/usr/share/sightline"));
    QVERIFY2(smoke.out.contains(QStringLiteral("data ") + dataDir + u'\n'), qPrintable(smoke.out));
    // Every data folder of the source tree's resources/ is installed (mappings, profiles, sla, ...).
    const QDir source(QStringLiteral(SIGHTLINE_SOURCE_DIR "/resources"));
    for (const QString &folder : source.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (folder == QLatin1String("icons") || folder == QLatin1String("linux"))
            continue; // compiled into the programs; installed under share/applications etc.
        const QStringList files = QDir(source.filePath(folder)).entryList(QDir::Files);
        for (const QString &file : files)
            QVERIFY2(QFileInfo::exists(dataDir + u'/' + folder + u'/' + file),
                     qPrintable(folder + u'/' + file));
    }
    QVERIFY(QFileInfo::exists(dataDir + QStringLiteral("/openapi/sandbox.yaml")));
    QVERIFY2(QFileInfo::exists(db), "the unpacked console created its store");
}

void TestPackage::desktopEntryAndMetainfoValidate()
{
    const QString desktop = m_root + QStringLiteral("/usr/share/applications/" SIGHTLINE_APP_ID ".desktop");
    QVERIFY(QFileInfo::exists(desktop));
    const Run d = run(requireTool(QStringLiteral("desktop-file-validate")), {desktop});
    QVERIFY2(d.exitCode == 0 && d.out.trimmed().isEmpty(), qPrintable(d.out + d.err));

    const QString metainfo = m_root + QStringLiteral("/usr/share/metainfo/" SIGHTLINE_APP_ID ".metainfo.xml");
    QVERIFY(QFileInfo::exists(metainfo));
    const Run m = run(requireTool(QStringLiteral("appstreamcli")),
                      {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfo});
    QVERIFY2(m.exitCode == 0, qPrintable(m.out + m.err));
}

void TestPackage::iconsAndManPage()
{
    const QString hicolor = m_root + QStringLiteral("/usr/share/icons/hicolor/");
    QVERIFY(QFileInfo::exists(hicolor + QStringLiteral("scalable/apps/" SIGHTLINE_APP_ID ".svg")));
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
        const QString png = hicolor + QStringLiteral("%1x%1/apps/" SIGHTLINE_APP_ID ".png").arg(size);
        QFile file(png);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(png));
        const QByteArray head = file.read(24); // PNG signature, IHDR: width and height big-endian
        QVERIFY(head.startsWith("\x89PNG\r\n\x1a\n"));
        const auto be32 = [&](int at) {
            return (quint32(quint8(head[at])) << 24) | (quint32(quint8(head[at + 1])) << 16) |
                   (quint32(quint8(head[at + 2])) << 8) | quint32(quint8(head[at + 3]));
        };
        QCOMPARE(be32(16), quint32(size));
        QCOMPARE(be32(20), quint32(size));
    }
    for (const char *page : {"sightline", "sightline-cli", "sightline-sandbox"}) {
        const QString man = m_root + QStringLiteral("/usr/share/man/man1/%1.1.gz").arg(QLatin1String(page));
        QVERIFY2(QFileInfo::exists(man), qPrintable(man));
        const Run text =
            run(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"), QStringLiteral("gzip -dc '%1' | grep -c '^.SH '").arg(man)});
        QVERIFY2(text.out.trimmed().toInt() >= 5, qPrintable(man + text.out + text.err));
    }
    // Team mode's ingest service, with the installed program's path.
    QFile unit(m_root + QStringLiteral("/usr/lib/systemd/system/sightline-sync.service"));
    QVERIFY2(unit.open(QIODevice::ReadOnly), qPrintable(unit.fileName()));
    const QByteArray unitText = unit.readAll();
    QVERIFY(unitText.contains("\nExecStart=/usr/bin/sightline-cli sync "));
    QVERIFY(unitText.contains("\nDynamicUser=yes"));
    QVERIFY(unitText.contains("\nProtectSystem=strict"));
}

void TestPackage::tarballRunsFromAnyFolder()
{
    const QString packages = m_work.filePath(QStringLiteral("tgz"));
    const Run cpack =
        run(QStringLiteral(SIGHTLINE_CPACK),
            {QStringLiteral("-G"), QStringLiteral("TGZ"), QStringLiteral("--config"),
             QStringLiteral(SIGHTLINE_BUILD_DIR "/CPackConfig.cmake"), QStringLiteral("-B"), packages},
            {}, 170'000);
    QVERIFY2(cpack.exitCode == 0, qPrintable(cpack.out + cpack.err));
    const QString tarball =
        QDir(packages).filePath(QStringLiteral("sightline-" SIGHTLINE_VERSION "-Linux.tar.gz"));
    QVERIFY2(QFileInfo::exists(tarball), qPrintable(cpack.out));
    const QString somewhere = m_work.filePath(QStringLiteral("opt/unpacked here"));
    QVERIFY(QDir().mkpath(somewhere));
    const Run untar =
        run(QStringLiteral("tar"), {QStringLiteral("-xzf"), tarball, QStringLiteral("-C"), somewhere});
    QVERIFY2(untar.exitCode == 0, qPrintable(untar.err));
    const QString top = somewhere + QStringLiteral("/sightline-" SIGHTLINE_VERSION "-Linux");
    const Run smoke = run(
        top + QStringLiteral("/bin/sightline"),
        {QStringLiteral("--smoke-test"), QStringLiteral("--db"), m_work.filePath(QStringLiteral("tgz.db"))},
        m_userEnv, 60'000);
    QVERIFY2(smoke.exitCode == 0, qPrintable(smoke.out + smoke.err));
    QVERIFY2(smoke.out.contains(QStringLiteral("data ") +
                                QDir::cleanPath(top + QStringLiteral("/share/sightline")) + u'\n'),
             qPrintable(smoke.out));
}

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
