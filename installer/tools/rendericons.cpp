// Build tool: renders the application's SVG icon into the PNG sizes of the hicolor icon theme.
//   sightline-render-icons SVG OUTDIR NAME SIZE...   writes OUTDIR/<SIZE>x<SIZE>/apps/NAME.png
#include <QCoreApplication>
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <cstdio>

namespace {

bool renderOne(QSvgRenderer &svg, const QString &outDir, const QString &name, int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    svg.render(&painter, QRectF(0, 0, size, size));
    painter.end();
    const QString dir = QStringLiteral("%1/%2x%2/apps").arg(outDir).arg(size);
    if (!QDir().mkpath(dir))
        return false;
    return image.save(dir + u'/' + name + QStringLiteral(".png"), "PNG");
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 5) {
        std::fputs("usage: sightline-render-icons SVG OUTDIR NAME SIZE...\n", stderr);
        return 2;
    }
    QSvgRenderer svg(args.at(1));
    if (!svg.isValid()) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(args.at(1)));
        return 1;
    }
    for (qsizetype i = 4; i < args.size(); ++i) {
        const int size = args.at(i).toInt();
        if (size <= 0 || !renderOne(svg, args.at(2), args.at(3), size)) {
            std::fprintf(stderr, "cannot render size %s\n", qPrintable(args.at(i)));
            return 1;
        }
    }
    return 0;
}
