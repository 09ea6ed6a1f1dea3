# tools/records: the loop's memory (log.jsonl entries, ids, the core.yaml
# current: block, lessons, the round's decision), read by the loop, the
# report and the builtin agent. Below the agents, above the gates.
#   $(BUILD)/lib/librecords.a
$(eval $(call c_lib,records,tools/records/records.c tools/records/covgap.c))
