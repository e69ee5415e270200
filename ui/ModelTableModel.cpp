// SPDX-License-Identifier: MIT
#include "ModelTableModel.h"

#include "EngineTypes.h"

namespace llmops::ui {

namespace {

QString priceText(double usdPerMillion)
{
    return QStringLiteral("$%1").arg(usdPerMillion, 0, 'f', 2);
}

} // namespace

ModelTableModel::ModelTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ModelTableModel::setEndpoints(std::vector<llmops::ModelEndpoint> endpoints)
{
    beginResetModel();
    m_endpoints = std::move(endpoints);
    endResetModel();
}

int ModelTableModel::rowOf(const QString& name) const
{
    for (std::size_t row = 0; row < m_endpoints.size(); ++row) {
        if (fromUtf8(m_endpoints[row].name) == name)
            return int(row);
    }
    return -1;
}

int ModelTableModel::addEndpoint(const llmops::ModelEndpoint& endpoint)
{
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_endpoints.push_back(endpoint);
    endInsertRows();
    return row;
}

void ModelTableModel::replaceEndpoint(int row, const llmops::ModelEndpoint& endpoint)
{
    m_endpoints.at(std::size_t(row)) = endpoint;
    emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void ModelTableModel::removeEndpoint(int row)
{
    beginRemoveRows({}, row, row);
    m_endpoints.erase(m_endpoints.begin() + row);
    endRemoveRows();
}

void ModelTableModel::refreshKeyStatus()
{
    if (rowCount() == 0)
        return;
    const int column = int(Column::ApiKeyStatus);
    emit dataChanged(index(0, column), index(rowCount() - 1, column));
}

int ModelTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_endpoints.size());
}

int ModelTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant ModelTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const llmops::ModelEndpoint& endpoint = m_endpoints[std::size_t(index.row())];
    const auto column = Column(index.column());

    switch (role) {
    case Qt::DisplayRole:
        return displayData(endpoint, column);
    case SortRole:
        return sortData(endpoint, column);
    case NameRole:
        return fromUtf8(endpoint.name);
    case Qt::TextAlignmentRole:
        if (column >= Column::Timeout)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant ModelTableModel::displayData(const llmops::ModelEndpoint& endpoint, Column column) const
{
    switch (column) {
    case Column::Name:
        return fromUtf8(endpoint.name);
    case Column::Kind:
        return fromUtf8(endpoint.kind);
    case Column::BaseUrl:
        return fromUtf8(endpoint.baseUrl);
    case Column::Model:
        return fromUtf8(endpoint.model);
    case Column::ApiKeyVariable:
        return fromUtf8(endpoint.apiKeyEnv);
    case Column::ApiKeyStatus:
        return keyStatusText(endpoint.apiKeyEnv);
    case Column::Timeout:
        return tr("%1 ms").arg(endpoint.timeoutMs);
    case Column::Retries:
        return endpoint.maxRetries;
    case Column::InputPrice:
        return priceText(endpoint.inputUsdPerMillion);
    case Column::OutputPrice:
        return priceText(endpoint.outputUsdPerMillion);
    case Column::Count:
        break;
    }
    return {};
}

QVariant ModelTableModel::sortData(const llmops::ModelEndpoint& endpoint, Column column) const
{
    switch (column) {
    case Column::Timeout:
        return endpoint.timeoutMs;
    case Column::Retries:
        return endpoint.maxRetries;
    case Column::InputPrice:
        return endpoint.inputUsdPerMillion;
    case Column::OutputPrice:
        return endpoint.outputUsdPerMillion;
    default:
        return displayData(endpoint, column);
    }
}

QVariant ModelTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Name:
        return tr("Name");
    case Column::Kind:
        return tr("Kind");
    case Column::BaseUrl:
        return tr("Base URL");
    case Column::Model:
        return tr("Model id");
    case Column::ApiKeyVariable:
        return tr("API key variable");
    case Column::ApiKeyStatus:
        return tr("Key");
    case Column::Timeout:
        return tr("Timeout");
    case Column::Retries:
        return tr("Retries");
    case Column::InputPrice:
        return tr("Input $/M tokens");
    case Column::OutputPrice:
        return tr("Output $/M tokens");
    case Column::Count:
        break;
    }
    return {};
}

QString ModelTableModel::keyStatusText(const std::string& variable)
{
    if (variable.empty())
        return {};
    return qEnvironmentVariableIsSet(variable.c_str()) ? tr("set") : tr("not set");
}

} // namespace llmops::ui
