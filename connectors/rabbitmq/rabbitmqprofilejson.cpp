#include "connectors/rabbitmq/rabbitmqprofilejson.h"

namespace sightline {
namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

std::optional<QString> readRabbitMqSettings(const nlohmann::json &r, RabbitMqSettings &out)
{
    if (!r.is_object())
        return QStringLiteral("a rabbitmq connection needs a 'rabbitmq' object (destination, management_url, "
                              "dead_letter_queues)");
    out.managementUrl = QUrl(qs(r.value("management_url", std::string())), QUrl::StrictMode);
    out.virtualHost = qs(r.value("vhost", std::string("/")));
    out.destination = qs(r.value("destination", std::string()));
    out.queueName = qs(r.value("queue_name", std::string()));
    out.mappingFile = qs(r.value("mapping", std::string()));
    out.prefetch = r.value("prefetch", out.prefetch);
    out.deadLetterPollInterval =
        std::chrono::seconds(r.value("dead_letter_poll_seconds", qint64(out.deadLetterPollInterval.count())));
    out.deadLetterBatch = r.value("dead_letter_batch", out.deadLetterBatch);
    if (const auto q = r.find("dead_letter_queues"); q != r.end()) {
        if (!q->is_array())
            return QStringLiteral("'rabbitmq.dead_letter_queues' must be a list of queue names");
        for (const auto &name : *q) {
            if (!name.is_string() || name.get<std::string>().empty())
                return QStringLiteral("'rabbitmq.dead_letter_queues' must be a list of queue names");
            out.deadLetterQueues.append(qs(name.get<std::string>()));
        }
    }
    if (out.destination.isEmpty() && out.deadLetterQueues.isEmpty())
        return QStringLiteral("'rabbitmq' needs a 'destination' to consume or 'dead_letter_queues' to read");
    if (!out.destination.isEmpty() && !out.destination.startsWith(u'/'))
        return QStringLiteral("'rabbitmq.destination' must be /amq/queue/<queue>, /queue/<queue> or "
                              "/exchange/<exchange>/<routing key>");
    if (!out.deadLetterQueues.isEmpty() &&
        (!out.managementUrl.isValid() || out.managementUrl.scheme().isEmpty() ||
         out.managementUrl.host().isEmpty()))
        return QStringLiteral("'rabbitmq.management_url' must be the management API's absolute URL "
                              "(http://host:15672/api/) to read dead-letter queues");
    if (out.prefetch < 1 || out.deadLetterBatch < 1 || out.deadLetterPollInterval.count() < 1)
        return QStringLiteral(
            "'rabbitmq' prefetch, dead_letter_batch and dead_letter_poll_seconds must be positive");
    return std::nullopt;
}

nlohmann::json rabbitMqSettingsToJson(const RabbitMqSettings &s)
{
    nlohmann::json j{{"vhost", s.virtualHost.toStdString()},
                     {"prefetch", s.prefetch},
                     {"dead_letter_poll_seconds", qint64(s.deadLetterPollInterval.count())},
                     {"dead_letter_batch", s.deadLetterBatch}};
    if (!s.managementUrl.isEmpty())
        j["management_url"] = s.managementUrl.toString().toStdString();
    if (!s.destination.isEmpty())
        j["destination"] = s.destination.toStdString();
    if (!s.queueName.isEmpty())
        j["queue_name"] = s.queueName.toStdString();
    if (!s.mappingFile.isEmpty())
        j["mapping"] = s.mappingFile.toStdString();
    nlohmann::json queues = nlohmann::json::array();
    for (const QString &q : s.deadLetterQueues)
        queues.push_back(q.toStdString());
    j["dead_letter_queues"] = queues;
    return j;
}

} // namespace sightline
