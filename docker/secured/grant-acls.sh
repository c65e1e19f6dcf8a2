#!/bin/sh
# The secured profile's setup, run once the broker is healthy, as its super user: queueview's SCRAM-SHA-512 user,
# and the ACLs queueview needs. The kafka-acls.sh lines are the list in docs/kafka-security.md ("The ACLs queueview
# needs"), line for line (DockerComposeTest checks that they are the same).
#
#   BOOTSTRAP            the broker (default kafka-secured:19092, its internal listener)
#   ADMIN_CONFIG         the super user's client settings (default /secured/admin.properties)
#   QV_KAFKA_PASSWORD    queueview's password (required)
set -eu

: "${QV_KAFKA_PASSWORD:?grant-acls.sh needs QV_KAFKA_PASSWORD}"
PATH=/opt/kafka/bin:$PATH
B="--bootstrap-server ${BOOTSTRAP:-kafka-secured:19092} --command-config ${ADMIN_CONFIG:-/secured/admin.properties}"

kafka-configs.sh $B --alter --add-config "SCRAM-SHA-512=[password=$QV_KAFKA_PASSWORD]" \
  --entity-type users --entity-name queueview

P="--allow-principal User:queueview"
kafka-acls.sh $B --add $P --operation Create --operation Read                   --topic queue-events
kafka-acls.sh $B --add $P --operation Create --operation Read --operation Write --topic queue-commands
kafka-acls.sh $B --add $P --operation Create --operation Read --operation Write --topic queue-changes
kafka-acls.sh $B --add $P --operation Create --operation Write                  --topic queue-audit
kafka-acls.sh $B --add $P --operation Create --operation Write                  --topic queue-events-dlq
kafka-acls.sh $B --add $P --operation Create --operation Read --operation Write --operation Delete \
  --resource-pattern-type prefixed --topic queueview-
kafka-acls.sh $B --add $P --operation Read  --group queueview
kafka-acls.sh $B --add $P --operation Write --resource-pattern-type prefixed --transactional-id queueview-

kafka-acls.sh $B --list --principal User:queueview
echo "grant-acls: user queueview (SCRAM-SHA-512) and its ACLs are set"
