// CURVE key generation, key files and socket options.
#include "net/security/CurveKeys.h"

#include <QDir>
#include <QFile>
#include <QCoreApplication>
#include <QSaveFile>

#include <cstdio>

#include <sys/stat.h>
#include <unistd.h>

#include <zmq.h>

namespace dd::net {

CurveKeyPair CurveKeyPair::generate()
{
    char pub[41] = {};
    char sec[41] = {};
    if (zmq_curve_keypair(pub, sec) != 0)
        throw std::runtime_error("zmq_curve_keypair failed: libzmq built without CURVE");
    return {pub, sec};
}

CurveKeyStore::CurveKeyStore(std::string directory) : m_dir(std::move(directory)) {}

namespace {
QString pathOf(const std::string &dir, const std::string &file)
{
    return QDir(QString::fromStdString(dir)).filePath(QString::fromStdString(file));
}

bool isZ85Key(const QByteArray &key)
{
    // zmq_z85_decode stops at a NUL: "abcde\0…" would pass as a key libzmq then reads
    // as 8 bytes and zeros (found by fuzz_curve_keys).
    if (key.size() != 40 || key.contains('\0'))
        return false;
    std::uint8_t binary[32];
    return zmq_z85_decode(binary, key.constData()) != nullptr;
}
} // namespace

namespace {
std::optional<CurveKeyPair> parsePair(QFile &file, std::string *error)
{
    const QList<QByteArray> parts = file.readAll().simplified().split(' ');
    if (parts.size() == 2 && isZ85Key(parts[0]) && isZ85Key(parts[1]))
        return CurveKeyPair{parts[0].toStdString(), parts[1].toStdString()};
    if (error)
        *error = "corrupt key file " + file.fileName().toStdString();
    return std::nullopt;
}

std::string octal(unsigned mode)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode & 07777);
    return text;
}
} // namespace

std::optional<CurveKeyPair> CurveKeyStore::loadKeyPair(const std::string &name, std::string *error) const
{
    QFile existing(pathOf(m_dir, name + ".key"));
    if (!existing.open(QIODevice::ReadOnly)) {
        if (error)
            *error = "no key pair \"" + name + "\" in " + m_dir + " (" + name + ".key)";
        return std::nullopt;
    }
    struct stat st{};
    if (::fstat(existing.handle(), &st) == 0 && (st.st_mode & 077) != 0) {
        // As ssh does: a secret others can read is no longer this process's alone.
        if (error)
            *error = existing.fileName().toStdString() + " is readable by group or others (mode "
                + octal(st.st_mode) + "): chmod 600 it";
        return std::nullopt;
    }
    return parsePair(existing, error);
}

bool CurveKeyStore::secureDirectory(std::string *error) const
{
    const QByteArray path = QFile::encodeName(QString::fromStdString(m_dir));
    if (!QDir().mkpath(QString::fromStdString(m_dir)) || ::chmod(path.constData(), 0700) != 0) {
        if (error)
            *error = "cannot create the key directory " + m_dir + " with mode 0700";
        return false;
    }
    return true;
}

std::optional<std::string> CurveKeyStore::looseDirectoryWarning() const
{
    struct stat st{};
    if (::stat(QFile::encodeName(QString::fromStdString(m_dir)).constData(), &st) != 0 || (st.st_mode & 077) == 0)
        return std::nullopt;
    return "the key directory " + m_dir + " is open to group or others (mode " + octal(st.st_mode)
        + "): chmod 700 it, or run drone-backend --keys-init";
}

std::optional<CurveKeyPair> CurveKeyStore::keyPair(const std::string &name, std::string *error) const
{
    QFile existing(pathOf(m_dir, name + ".key"));
    if (existing.open(QIODevice::ReadOnly))
        return parsePair(existing, error);
    if (!QDir(QString::fromStdString(m_dir)).exists() && !secureDirectory(error))
        return std::nullopt;
    const CurveKeyPair pair = CurveKeyPair::generate();
    // Written under a temporary name, then hard-linked into place: link() fails if
    // another process got there first, and then everyone uses that process's pair.
    const QString finalPath = pathOf(m_dir, name + ".key");
    const QString tempPath = finalPath + ".tmp-" + QString::number(QCoreApplication::applicationPid()) + "-"
        + QString::number(quintptr(&pair), 16);
    {
        QFile secret(tempPath);
        if (!secret.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            if (error)
                *error = "cannot write keys into " + m_dir;
            return std::nullopt;
        }
        secret.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        secret.write(QByteArray::fromStdString(pair.publicKey + " " + pair.secretKey + "\n"));
        secret.flush();
        ::fsync(secret.handle());
    }
    const bool won = ::link(QFile::encodeName(tempPath).constData(), QFile::encodeName(finalPath).constData()) == 0;
    QFile::remove(tempPath);
    if (!won)
        return keyPair(name, error); // someone else's pair is in place: load it
    QSaveFile pub(pathOf(m_dir, name + ".pub"));
    if (pub.open(QIODevice::WriteOnly)) {
        pub.write(QByteArray::fromStdString(pair.publicKey + "\n"));
        pub.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                           | QFileDevice::ReadOther);
        pub.commit();
    }
    return pair;
}

std::optional<std::string> CurveKeyStore::publicKey(const std::string &name) const
{
    QFile file(pathOf(m_dir, name + ".pub"));
    if (file.open(QIODevice::ReadOnly)) {
        const QByteArray key = file.readAll().trimmed();
        if (isZ85Key(key))
            return key.toStdString();
    }
    // The .key file leads with the public key: enough when the .pub is not written yet.
    QFile secret(pathOf(m_dir, name + ".key"));
    if (secret.open(QIODevice::ReadOnly)) {
        const QByteArray key = secret.readAll().simplified().split(' ').value(0);
        if (isZ85Key(key))
            return key.toStdString();
    }
    return std::nullopt;
}

std::vector<std::string> CurveKeyStore::authorizedClients() const
{
    std::vector<std::string> keys;
    QFile file(pathOf(m_dir, "authorized_clients"));
    if (!file.open(QIODevice::ReadOnly))
        return keys;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QByteArray key = line.trimmed();
        if (isZ85Key(key))
            keys.push_back(key.toStdString());
    }
    return keys;
}

bool CurveKeyStore::authorize(const std::string &publicKey, std::string *error) const
{
    if (!isZ85Key(QByteArray::fromStdString(publicKey))) {
        if (error)
            *error = "not a Z85 CURVE public key";
        return false;
    }
    for (const auto &key : authorizedClients())
        if (key == publicKey)
            return true;
    if (!QDir(QString::fromStdString(m_dir)).exists() && !secureDirectory(error))
        return false;
    QFile file(pathOf(m_dir, "authorized_clients"));
    if (!file.open(QIODevice::Append)) {
        if (error)
            *error = "cannot write authorized_clients in " + m_dir;
        return false;
    }
    // The allow-list is the servers' policy: only its owner reads or changes it.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QByteArray::fromStdString(publicKey + "\n"));
    return true;
}

void makeCurveServer(zmq::socket_t &socket, const CurveKeyPair &server, const std::string &zapDomain)
{
    socket.set(zmq::sockopt::curve_server, 1);
    socket.set(zmq::sockopt::curve_secretkey, server.secretKey);
    // A domain makes libzmq consult the ZAP handler, which holds the allow-list.
    socket.set(zmq::sockopt::zap_domain, zapDomain);
}

void makeCurveClient(zmq::socket_t &socket, const CurveKeyPair &client, const std::string &serverPublicKey)
{
    socket.set(zmq::sockopt::curve_serverkey, serverPublicKey);
    socket.set(zmq::sockopt::curve_publickey, client.publicKey);
    socket.set(zmq::sockopt::curve_secretkey, client.secretKey);
}

} // namespace dd::net
