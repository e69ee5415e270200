// SPDX-License-Identifier: MIT
// Versioned rule sets: saving, activating and explaining routing decisions.
#include "EngineImpl.h"

#include "llmops/guard.h"

namespace llmops {
namespace {

std::vector<std::string> flagKinds(const std::vector<Flag>& flags)
{
    std::vector<std::string> kinds;
    for (const Flag& flag : flags)
        kinds.push_back(flag.kind);
    return kinds;
}

std::string versionLabel(int version)
{
    std::string label = "rule set version ";
    label += std::to_string(version);
    return label;
}

} // namespace

Status Engine::Impl::loadRuleSet()
{
    activeRuleSet = store.activeRuleSetVersion();
    if (activeRuleSet > 0)
        return Status::ok();
    return storeSettingsWithRules(settings, "the rules of the workspace settings");
}

Status Engine::Impl::storeSettingsWithRules(const PipelineSettings& newSettings, const std::string& note,
                                            bool newVersion)
{
    Transaction transaction(store.database());
    Status status = transaction.beginStatus();
    int version = activeRuleSet;
    const std::string rulesJson = rulesToJson(newSettings.rules);
    if (status.isOk() && (newVersion || version == 0 || rulesJson != rulesToJson(settings.rules))) {
        Result<int> inserted = store.insertRuleSet(rulesJson, note);
        status = inserted.status();
        if (status.isOk()) {
            version = inserted.value();
            status = store.setActiveRuleSetVersion(version);
        }
    }
    if (status.isOk())
        status = store.setSetting("pipeline", settingsToJson(newSettings));
    if (status.isOk())
        status = transaction.commit();
    if (!status.isOk())
        return status;
    applySettings(newSettings);
    activeRuleSet = version;
    return Status::ok();
}

Result<std::vector<RuleSetVersion>> Engine::ruleSetVersions()
{
    Result<std::vector<StoredRuleSet>> stored = m_impl->store.ruleSets();
    if (!stored.isOk())
        return stored.status();
    std::vector<RuleSetVersion> versions;
    for (const StoredRuleSet& set : stored.value()) {
        Result<std::vector<RoutingRule>> rules = rulesFromJson(set.rulesJson, versionLabel(set.version));
        if (!rules.isOk())
            return Status::corruption(rules.status().message());
        versions.push_back({set.version, set.note, set.createdAtMs, set.version == m_impl->activeRuleSet,
                            std::move(rules.value())});
    }
    return versions;
}

int Engine::activeRuleSetVersion() const
{
    return m_impl->activeRuleSet;
}

Result<int> Engine::saveRuleSet(const std::vector<RoutingRule>& rules, const std::string& note, bool activate)
{
    PipelineSettings candidate = m_impl->settings;
    candidate.rules = rules;
    if (Status status = validateSettings(candidate); !status.isOk())
        return Status::invalidArgument("the rule set was not saved: " + status.message());
    if (activate) {
        // A new version even when the rules equal the active ones, so that the note is kept.
        if (Status status = m_impl->storeSettingsWithRules(candidate, note, true); !status.isOk())
            return status;
        return m_impl->activeRuleSet;
    }
    return m_impl->store.insertRuleSet(rulesToJson(rules), note);
}

Status Engine::activateRuleSet(int version)
{
    Result<std::vector<RuleSetVersion>> versions = ruleSetVersions();
    if (!versions.isOk())
        return versions.status();
    const auto found = std::find_if(versions->begin(), versions->end(),
                                    [&](const RuleSetVersion& v) { return v.version == version; });
    if (found == versions->end())
        return Status::notFound(versionLabel(version) + " does not exist; list versions with `llmops route versions`");

    PipelineSettings candidate = m_impl->settings;
    candidate.rules = found->rules;
    if (Status status = validateSettings(candidate); !status.isOk())
        return Status::invalidArgument(versionLabel(version) + " cannot be activated: " + status.message());

    Transaction transaction(m_impl->store.database());
    Status status = transaction.beginStatus();
    if (status.isOk())
        status = m_impl->store.setActiveRuleSetVersion(version);
    if (status.isOk())
        status = m_impl->store.setSetting("pipeline", settingsToJson(candidate));
    if (status.isOk())
        status = transaction.commit();
    if (!status.isOk())
        return status;
    m_impl->applySettings(std::move(candidate));
    m_impl->activeRuleSet = version;
    return Status::ok();
}

RouteExplanation Engine::explainRoute(const std::string& question,
                                      const std::map<std::string, std::string>& metadata) const
{
    const InputGuardVerdict verdict = checkInput(question, m_impl->settings.inputGuard);
    return m_impl->router->explain(verdict.sanitizedText, flagKinds(verdict.findings), metadata);
}

} // namespace llmops
