# test/records: unit suites of the records layer (schema validator, YAML<->JSON,
# accept rule, the project's schemas).
$(eval $(call c_prog,bin/test_schema_suite,test/records/test_schema_suite.c,schema))
UNIT_SUITES += $(BUILD)/bin/test_schema_suite
$(eval $(call c_prog,bin/test_accept,test/records/test_accept.c,accept))
UNIT_SUITES += $(BUILD)/bin/test_accept
$(eval $(call c_prog,bin/test_schema,test/records/test_schema.c,schema))
UNIT_SUITES += $(BUILD)/bin/test_schema
$(eval $(call c_prog,bin/test_yamljson,test/records/test_yamljson.c,yamljson xlib))
UNIT_SUITES += $(BUILD)/bin/test_yamljson
$(eval $(call c_prog,bin/test_project_schemas,test/records/test_project_schemas.c,schema yamljson xlib))
UNIT_SUITES += $(BUILD)/bin/test_project_schemas
TEST_SUITES += test/records/validate.sh
test-prereqs: $(BUILD)/bin/validate
# changed lines of a candidate and the ones no cosim program exercised (records/covgap.h, cosim/covdat.h)
$(eval $(call c_prog,bin/test_covgap,test/records/test_covgap.c,records gates xlib))
UNIT_SUITES += $(BUILD)/bin/test_covgap
