#!/bin/sh
# The secured profile's certificates, made with the JDK's keytool (POSIX sh; the apache/kafka image's JRE has it):
# a test CA, the broker's PKCS12 key store (its key, a certificate for the SAN kafka-secured signed by the CA, and
# the CA's certificate) and a PKCS12 trust store with the CA alone for clients.
#
#   make-certs.sh [DIR]    DIR: where to write them (default /etc/kafka/secrets, where the image looks)
#   TRUSTSTORE_PASSWORD    the trust store's password (required; clients give it too)
#   BROKER_HOST            the broker's name in the certificate (default kafka-secured)
#
# Writes kafka-secured.p12 and keystore-password (read by the image's start script as its
# KAFKA_SSL_KEYSTORE_FILENAME and KAFKA_SSL_KEYSTORE_CREDENTIALS / KAFKA_SSL_KEY_CREDENTIALS), owner-only, and
# truststore.p12 and ca.pem, readable by all (queueview runs as another user). The CA's key is thrown away: a
# new set is made only when the folder has none, so delete the volume to start over.
set -eu

dir=${1:-/etc/kafka/secrets}
host=${BROKER_HOST:-kafka-secured}
: "${TRUSTSTORE_PASSWORD:?make-certs.sh needs TRUSTSTORE_PASSWORD}"
days=365

if [ -f "$dir/$host.p12" ] && [ -f "$dir/truststore.p12" ]; then
  echo "make-certs: $dir already has $host.p12 and truststore.p12; keeping them"
  exit 0
fi

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# keytool reads a password from the environment with -storepass:env, never from the command line
random_password() {
  tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24
}
CA_PASSWORD=$(random_password)
KEYSTORE_PASSWORD=$(random_password)
export CA_PASSWORD KEYSTORE_PASSWORD TRUSTSTORE_PASSWORD

ca() {
  keytool "$@" -keystore "$work/ca.p12" -storetype PKCS12 -storepass:env CA_PASSWORD
}
broker() {
  keytool "$@" -keystore "$work/$host.p12" -storetype PKCS12 -storepass:env KEYSTORE_PASSWORD
}

ca -genkeypair -alias ca -keyalg RSA -keysize 2048 -dname "CN=queueview compose test CA" \
  -ext bc:c -ext ku:c=keyCertSign,cRLSign -validity "$days"
ca -exportcert -alias ca -rfc -file "$work/ca.pem"

broker -genkeypair -alias "$host" -keyalg RSA -keysize 2048 -dname "CN=$host" -validity "$days"
broker -certreq -alias "$host" -file "$work/$host.csr"
ca -gencert -alias ca -infile "$work/$host.csr" -outfile "$work/$host.pem" -rfc -validity "$days" \
  -ext "SAN=dns:$host,dns:localhost" -ext ku:c=digitalSignature,keyEncipherment -ext eku=serverAuth,clientAuth
broker -importcert -alias ca -file "$work/ca.pem" -noprompt
broker -importcert -alias "$host" -file "$work/$host.pem"

keytool -importcert -alias ca -file "$work/ca.pem" -noprompt \
  -keystore "$work/truststore.p12" -storetype PKCS12 -storepass:env TRUSTSTORE_PASSWORD

mkdir -p "$dir"
printf '%s' "$KEYSTORE_PASSWORD" >"$work/keystore-password"
chmod 600 "$work/$host.p12" "$work/keystore-password"
chmod 644 "$work/truststore.p12" "$work/ca.pem"
# the trust store last: its presence says the set is complete
for file in "$host.p12" keystore-password ca.pem truststore.p12; do
  cp -p "$work/$file" "$dir/$file"
done
echo "make-certs: wrote $host.p12, keystore-password, ca.pem and truststore.p12 to $dir (SAN dns:$host, $days days)"
