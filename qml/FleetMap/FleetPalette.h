// The fleet map's colours in one place, for the C++ renderer and (as a singleton) for QML.
#pragma once

#include <QColor>
#include <QObject>
#include <QRgb>
#include <QtQml/qqmlregistration.h>

namespace dd::fleetmap {

/// A dark operations theme: a near-black navy ground so state colours carry the
/// information, and state hues far enough apart to tell at a glance (amber vs green
/// for the two delivery legs, teal vs blue for returning vs charging).
/// QML: `import DroneConsole.FleetMap` then `FleetPalette.flyingToPickup`,
/// `FleetPalette.stateColor(state)`.
class FleetPalette : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QColor background READ background CONSTANT)
    Q_PROPERTY(QColor serviceArea READ serviceArea CONSTANT)
    Q_PROPERTY(QColor grid READ grid CONSTANT)
    Q_PROPERTY(QColor rangeRing READ rangeRing CONSTANT)
    Q_PROPERTY(QColor water READ water CONSTANT)
    Q_PROPERTY(QColor shoreline READ shoreline CONSTANT)
    Q_PROPERTY(QColor text READ text CONSTANT)
    Q_PROPERTY(QColor textDim READ textDim CONSTANT)
    Q_PROPERTY(QColor idle READ idle CONSTANT)
    Q_PROPERTY(QColor flyingToPickup READ flyingToPickup CONSTANT)
    Q_PROPERTY(QColor flyingToDropoff READ flyingToDropoff CONSTANT)
    Q_PROPERTY(QColor returning READ returning CONSTANT)
    Q_PROPERTY(QColor charging READ charging CONSTANT)
    Q_PROPERTY(QColor maintenance READ maintenance CONSTANT)
    Q_PROPERTY(QColor unknown READ unknown CONSTANT)
    Q_PROPERTY(QColor selection READ selection CONSTANT)
    Q_PROPERTY(QColor pickupMarker READ pickupMarker CONSTANT)
    Q_PROPERTY(QColor dropoffMarker READ dropoffMarker CONSTANT)
    Q_PROPERTY(QColor finishedMarker READ finishedMarker CONSTANT)

public:
    // The renderer reads these constants directly; the properties below wrap them.
    static constexpr QRgb Background = 0xff0a1018;
    static constexpr QRgb ServiceArea = 0xff111c29; // land inside the service area
    static constexpr QRgb Grid = 0xff17232f;
    static constexpr QRgb RangeRing = 0xff2a4058;
    static constexpr QRgb Water = 0xff081a2d;
    static constexpr QRgb Shoreline = 0xff1b3853;
    static constexpr QRgb Text = 0xffc9d4df;
    static constexpr QRgb TextDim = 0xff6e8093;
    static constexpr QRgb Idle = 0xff8496ab;
    static constexpr QRgb FlyingToPickup = 0xffffb020;
    static constexpr QRgb FlyingToDropoff = 0xff3ddc84;
    static constexpr QRgb Returning = 0xff2cc9c0;
    static constexpr QRgb Charging = 0xff4c8dff;
    static constexpr QRgb Maintenance = 0xffff4d4f;
    static constexpr QRgb Unknown = 0xff9e9e9e;
    static constexpr QRgb Selection = 0xffffffff;
    static constexpr QRgb PickupMarker = FlyingToPickup;
    static constexpr QRgb DropoffMarker = FlyingToDropoff;
    static constexpr QRgb FinishedMarker = 0xff4a5766;

    /// Colour of a dronedelivery.v1.DroneState value; Unknown for anything else.
    static constexpr QRgb stateRgb(int state)
    {
        switch (state) {
        case 1: return Idle;
        case 2: return FlyingToPickup;
        case 3: return FlyingToDropoff;
        case 4: return Returning;
        case 5: return Charging;
        case 6: return Maintenance;
        default: return Unknown;
        }
    }

    explicit FleetPalette(QObject *parent = nullptr) : QObject(parent) {}

    Q_INVOKABLE QColor stateColor(int state) const { return QColor::fromRgba(stateRgb(state)); }
    /// Human label of a drone state, for legends and tooltips.
    Q_INVOKABLE QString stateName(int state) const;

    QColor background() const { return QColor::fromRgba(Background); }
    QColor serviceArea() const { return QColor::fromRgba(ServiceArea); }
    QColor grid() const { return QColor::fromRgba(Grid); }
    QColor rangeRing() const { return QColor::fromRgba(RangeRing); }
    QColor water() const { return QColor::fromRgba(Water); }
    QColor shoreline() const { return QColor::fromRgba(Shoreline); }
    QColor text() const { return QColor::fromRgba(Text); }
    QColor textDim() const { return QColor::fromRgba(TextDim); }
    QColor idle() const { return QColor::fromRgba(Idle); }
    QColor flyingToPickup() const { return QColor::fromRgba(FlyingToPickup); }
    QColor flyingToDropoff() const { return QColor::fromRgba(FlyingToDropoff); }
    QColor returning() const { return QColor::fromRgba(Returning); }
    QColor charging() const { return QColor::fromRgba(Charging); }
    QColor maintenance() const { return QColor::fromRgba(Maintenance); }
    QColor unknown() const { return QColor::fromRgba(Unknown); }
    QColor selection() const { return QColor::fromRgba(Selection); }
    QColor pickupMarker() const { return QColor::fromRgba(PickupMarker); }
    QColor dropoffMarker() const { return QColor::fromRgba(DropoffMarker); }
    QColor finishedMarker() const { return QColor::fromRgba(FinishedMarker); }
};

} // namespace dd::fleetmap
