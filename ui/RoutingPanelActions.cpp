// SPDX-License-Identifier: MIT
// The Routing page's actions: undoable edits, the live preview, versions and replays.
#include "RoutingPanel.h"

#include <algorithm>

#include "EngineController.h"
#include "ErrorBanner.h"
#include "ReplayResultView.h"
#include "RuleEditCommand.h"
#include "RuleTableModel.h"
#include "llmops/guard.h"

#include <QComboBox>
#include <QDateTime>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QUndoStack>

namespace llmops::ui {
namespace {

std::vector<std::string> splitNames(const QString& text)
{
    std::vector<std::string> names;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = part.trimmed();
        if (!name.isEmpty())
            names.push_back(name.toStdString());
    }
    return names;
}

// "user_tier=enterprise, plan=pro" as a map; parts without "=" are ignored.
std::map<std::string, std::string> parseMetadata(const QString& text)
{
    std::map<std::string, std::string> metadata;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype equals = part.indexOf(QLatin1Char('='));
        if (equals > 0)
            metadata[part.left(equals).trimmed().toStdString()] = part.mid(equals + 1).trimmed().toStdString();
    }
    return metadata;
}

QString escaped(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString describeFeatures(const llmops::QueryFeatures& f)
{
    QStringList flags;
    for (const std::string& flag : f.guardFlags)
        flags.append(QString::fromStdString(flag));
    const auto tier = static_cast<std::size_t>(f.tier);
    return QObject::tr("tier %1 (%2%), about %3 tokens, %4 words, language %5, %6, flags: %7")
        .arg(QString::fromLatin1(llmops::tierName(f.tier)))
        .arg(f.tierProbabilities[tier] * 100.0, 0, 'f', 0)
        .arg(f.inputTokens)
        .arg(f.words)
        .arg(QString::fromStdString(f.language),
             f.hasCode ? QObject::tr("code") : QObject::tr("no code"),
             flags.isEmpty() ? QObject::tr("none") : flags.join(QStringLiteral(", ")));
}

} // namespace

void RoutingPanel::setSettings(const llmops::PipelineSettings& settings)
{
    m_settings = settings;
    std::vector<std::string> names;
    const QString current = m_modelCombo->currentText();
    m_modelCombo->clear();
    for (const llmops::ModelEndpoint& model : settings.models) {
        names.push_back(model.name);
        m_modelCombo->addItem(QString::fromStdString(model.name));
    }
    m_modelCombo->setCurrentText(current);
    m_model->setModels(names);
    rebuildPreviewRouter();  // the classifier weights may have changed

    // A draft with edits survives a settings change (such as a new model on the Models page).
    if (m_undoStack->isClean()) {
        m_model->setRules(settings.rules);
        m_undoStack->clear();
        selectRow(0);
    }
    checkForm();
}

int RoutingPanel::selectedRow() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void RoutingPanel::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_table->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    showSelectedRuleInForm();
}

void RoutingPanel::showSelectedRuleInForm()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const llmops::RoutingRule& rule = m_model->rules()[static_cast<std::size_t>(row)];
    const llmops::RoutingCondition condition = llmops::effectiveCondition(rule);
    m_nameEdit->setText(QString::fromStdString(rule.name));
    m_conditionEdit->setText(condition.kind == llmops::RoutingCondition::Kind::Always
                                 ? QString()
                                 : QString::fromStdString(llmops::conditionToText(condition)));
    m_modelCombo->setCurrentText(QString::fromStdString(rule.model));
    QStringList fallbacks;
    for (const std::string& name : rule.fallbacks)
        fallbacks.append(QString::fromStdString(name));
    m_fallbacksEdit->setText(fallbacks.join(QStringLiteral(", ")));
}

std::optional<llmops::RoutingRule> RoutingPanel::ruleFromForm(QString* problem) const
{
    llmops::RoutingRule rule;
    rule.name = m_nameEdit->text().trimmed().toStdString();
    rule.model = m_modelCombo->currentText().toStdString();
    rule.fallbacks = splitNames(m_fallbacksEdit->text());
    if (rule.name.empty()) {
        *problem = tr("Give the rule a name.");
        return std::nullopt;
    }
    const std::string condition = m_conditionEdit->text().trimmed().toStdString();
    if (!condition.empty()) {
        llmops::Result<llmops::RoutingCondition> parsed = llmops::conditionFromText(condition);
        if (!parsed.isOk()) {
            *problem = tr("Condition: %1").arg(QString::fromStdString(parsed.status().message()));
            return std::nullopt;
        }
        rule.when = std::move(parsed.value());
    }
    return rule;
}

// Shows the problems the form's rule would have in the draft, in the place of the selected rule.
void RoutingPanel::checkForm()
{
    QString problem;
    const std::optional<llmops::RoutingRule> rule = ruleFromForm(&problem);
    const bool parsed = rule.has_value();
    m_addButton->setEnabled(parsed);
    m_applyButton->setEnabled(parsed && selectedRow() >= 0);
    if (!parsed) {
        m_formProblemLabel->setText(problem);
        return;
    }
    std::vector<llmops::RoutingRule> candidate = m_model->rules();
    const int row = selectedRow();
    if (row >= 0)
        candidate[static_cast<std::size_t>(row)] = *rule;
    QStringList messages;
    for (const llmops::RuleIssue& issue : llmops::checkRules(candidate, m_model->models())) {
        if (issue.rule == row)
            messages.append(QString::fromStdString(issue.message));
    }
    m_formProblemLabel->setText(messages.join(QLatin1Char('\n')));
}

void RoutingPanel::pushEdit(const QString& text, std::vector<llmops::RoutingRule> rules, int selectRowAfter)
{
    auto* command = new RuleEditCommand(text, m_model, std::move(rules), selectRowAfter);
    m_undoStack->push(command);  // runs redo()
    selectRow(command->selectedRow());
}

void RoutingPanel::loadDraft(const std::vector<llmops::RoutingRule>& rules)
{
    pushEdit(tr("Load draft rules"), rules, 0);
}

void RoutingPanel::addRuleFromForm()
{
    QString problem;
    const std::optional<llmops::RoutingRule> rule = ruleFromForm(&problem);
    if (!rule)
        return;
    // New rules go above a final default rule, so the draft keeps its default.
    std::vector<llmops::RoutingRule> rules = m_model->rules();
    const bool endsWithDefault = !rules.empty() && !rules.back().hasCondition();
    const auto at = static_cast<std::ptrdiff_t>(endsWithDefault ? rules.size() - 1 : rules.size());
    rules.insert(rules.begin() + at, *rule);
    pushEdit(tr("Add rule %1").arg(QString::fromStdString(rule->name)), std::move(rules), static_cast<int>(at));
}

void RoutingPanel::applyFormToSelectedRule()
{
    QString problem;
    const std::optional<llmops::RoutingRule> rule = ruleFromForm(&problem);
    const int row = selectedRow();
    if (!rule || row < 0)
        return;
    std::vector<llmops::RoutingRule> rules = m_model->rules();
    rules[static_cast<std::size_t>(row)] = *rule;
    pushEdit(tr("Edit rule %1").arg(QString::fromStdString(rule->name)), std::move(rules), row);
}

void RoutingPanel::deleteSelectedRule()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    std::vector<llmops::RoutingRule> rules = m_model->rules();
    const QString name = QString::fromStdString(rules[static_cast<std::size_t>(row)].name);
    rules.erase(rules.begin() + row);
    pushEdit(tr("Delete rule %1").arg(name), std::move(rules), std::max(0, row - 1));
}

void RoutingPanel::moveSelectedRule(int offset)
{
    const int row = selectedRow();
    const int target = row + offset;
    if (row < 0 || target < 0 || target >= m_model->rowCount())
        return;
    std::vector<llmops::RoutingRule> rules = m_model->rules();
    std::swap(rules[static_cast<std::size_t>(row)], rules[static_cast<std::size_t>(target)]);
    const QString name = QString::fromStdString(rules[static_cast<std::size_t>(target)].name);
    pushEdit(tr("Move rule %1").arg(name), std::move(rules), target);
}

void RoutingPanel::rebuildPreviewRouter()
{
    m_previewRouter = std::make_unique<llmops::Router>(m_model->rules(), llmops::classifierFor(m_settings));
    checkForm();
    updatePreview();
}

void RoutingPanel::updatePreview()
{
    const std::string question = m_previewEdit->text().toStdString();
    if (question.empty() || !m_previewRouter) {
        m_previewLabel->setText(tr("Type a question above to see which rule fires and why."));
        return;
    }
    const llmops::InputGuardVerdict verdict = llmops::checkInput(question, m_settings.inputGuard);
    std::vector<std::string> flags;
    for (const llmops::Flag& flag : verdict.findings)
        flags.push_back(flag.kind);
    const llmops::RouteExplanation explanation =
        m_previewRouter->explain(verdict.sanitizedText, flags, parseMetadata(m_metadataEdit->text()));
    const llmops::RouteDecision& decision = explanation.decision;
    m_previewLabel->setText(tr("Fires: <b>%1</b> → <b>%2</b><br>Why: %3<br>Features: %4")
                                .arg(escaped(decision.rule), escaped(decision.model), escaped(decision.reason),
                                     describeFeatures(explanation.features).toHtmlEscaped()));
}

void RoutingPanel::showVersions(const RuleSetVersions& versions, int activeVersion)
{
    m_activeVersion = activeVersion;
    m_versions = versions;
    m_versionCombo->clear();
    for (auto version = versions.rbegin(); version != versions.rend(); ++version) {
        const QString created = QDateTime::fromMSecsSinceEpoch(version->createdAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        const QString label = tr("v%1%2 · %3 · %4 rules · %5")
                                  .arg(version->version)
                                  .arg(version->active ? tr(" (active)") : QString())
                                  .arg(created)
                                  .arg(version->rules.size())
                                  .arg(QString::fromStdString(version->note));
        m_versionCombo->addItem(label, version->version);
    }
    // The active version is the one a user compares against or returns to, so it is selected.
    if (const int activeRow = m_versionCombo->findData(activeVersion); activeRow >= 0)
        m_versionCombo->setCurrentIndex(activeRow);
    m_activeLabel->setText(tr("Active: v%1").arg(activeVersion));
    emit versionsChanged();
}

void RoutingPanel::saveDraft(bool activate)
{
    if (m_model->hasErrors()) {
        m_banner->showError(tr("The draft has errors; fix the rules marked in the Problems column before saving."));
        return;
    }
    if (activate)
        m_undoStack->setClean();  // the saved draft becomes the active rules the page shows
    m_controller->saveRuleSet(m_model->rules(), m_noteEdit->text().trimmed(), activate);
}

void RoutingPanel::activateSelectedVersion()
{
    const QVariant version = m_versionCombo->currentData();
    if (!version.isValid())
        return;
    // The page shows the rules of the version that becomes active, replacing the draft.
    m_undoStack->clear();
    m_controller->activateRuleSet(version.toInt());
}

void RoutingPanel::loadSelectedVersionIntoDraft()
{
    const int number = m_versionCombo->currentData().toInt();
    const auto found = std::find_if(m_versions.begin(), m_versions.end(),
                                    [number](const llmops::RuleSetVersion& version) { return version.version == number; });
    if (found == m_versions.end())
        return;
    // Loading replaces the draft wholesale, so the edits before it cannot be undone into it.
    m_undoStack->clear();
    m_model->setRules(found->rules);
    m_replayStatusLabel->setText(tr("The draft holds version %1; Replay draft compares it with the active version %2.")
                                     .arg(number)
                                     .arg(m_activeVersion));
}

void RoutingPanel::startReplay()
{
    if (m_model->hasErrors()) {
        // Reported as a failed replay too, so that whoever started it (the startup sequence of a
        // scripted screenshot) hears back.
        const QString message = tr("The draft has errors; fix the rules marked in the Problems column before a replay.");
        m_banner->showError(message);
        emit replayFailed(message);
        return;
    }
    m_banner->clear();
    m_pendingReplayId = m_controller->replay(m_model->rules(), m_lastSpin->value());
    m_replayButton->setEnabled(false);
    m_cancelReplayButton->setEnabled(true);
    m_replayStatusLabel->setText(tr("Replaying up to %1 traces…").arg(m_lastSpin->value()));
}

void RoutingPanel::showReplay(quint64 replayId, const llmops::ReplayReport& report)
{
    if (replayId != m_pendingReplayId)
        return;  // a newer replay replaced this one
    m_pendingReplayId = 0;
    m_replayButton->setEnabled(true);
    m_cancelReplayButton->setEnabled(false);
    m_replayStatusLabel->clear();
    m_replayView->setReport(report);
    emit replayFinished();
}

void RoutingPanel::showReplayFailure(quint64 replayId, const QString& message)
{
    if (replayId != m_pendingReplayId)
        return;
    m_pendingReplayId = 0;
    m_replayButton->setEnabled(true);
    m_cancelReplayButton->setEnabled(false);
    m_replayStatusLabel->clear();
    m_replayView->clear();
    m_banner->showError(tr("The replay did not run: %1").arg(message));
    emit replayFailed(message);
}

} // namespace llmops::ui
