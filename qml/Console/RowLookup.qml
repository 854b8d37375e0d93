// Follows the one row of a list model whose key role equals `key`: live data without a delegate per row.
import QtQuick
import QtQml.Models

QtObject {
    id: lookup

    /// Any list model: a C++ QAbstractListModel or a ListModel.
    property var model
    property string keyRole
    property string key
    /// The row's roles by name (live: updates with the model), or null while no row has the key.
    readonly property var row: holder ? holder.model : null

    // The delegate made for the row; null when the row goes (its object is destroyed).
    property var holder: null
    // Reading a row through get() instantiates nothing; create() builds one delegate, which
    // the DelegateModel keeps bound to its row as rows move, and destroys when it goes.
    readonly property DelegateModel rows: DelegateModel {
        model: lookup.model

        delegate: QtObject {
            required property var model
        }
    }
    readonly property Connections rowWatch: Connections {
        target: lookup.rows.items

        function onCountChanged() {
            if (!lookup.holder)
                lookup.retry.restart();
        }
    }
    // Looks again once a burst of inserts is over (a row may arrive after its id is chosen).
    readonly property Timer retry: Timer {
        interval: 0
        onTriggered: lookup.find()
    }

    function find() {
        if (rows.persistedItems.count > 0)
            rows.persistedItems.remove(0, rows.persistedItems.count);
        holder = null;
        if (key.length === 0 || !model)
            return;
        for (let i = 0; i < rows.items.count; ++i) {
            if (rows.items.get(i).model[keyRole] === key) {
                holder = rows.items.create(i);
                return;
            }
        }
    }

    onKeyChanged: find()
    onModelChanged: retry.restart()
}
