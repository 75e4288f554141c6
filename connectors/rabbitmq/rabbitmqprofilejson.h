#pragma once

#include "connectors/rabbitmq/rabbitmqsettings.h"

#include <QString>
#include <nlohmann/json.hpp>
#include <optional>

namespace sightline {

// The "rabbitmq" object of a profile; an error text for a person, or nothing when it is fine.
std::optional<QString> readRabbitMqSettings(const nlohmann::json &object, RabbitMqSettings &out);
nlohmann::json rabbitMqSettingsToJson(const RabbitMqSettings &settings);

} // namespace sightline
