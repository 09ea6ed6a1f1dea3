# tools/schema: JSON-Schema draft-07 validator on jansson (schema.h) and its
# ECMA-262-subset pattern translator (jsre.h).
$(eval $(call c_lib,schema,tools/schema/schema.c tools/schema/jsre.c))

# `validate SCHEMA FILE...`: JSON, YAML or JSON Lines files against a schema.
$(eval $(call c_prog,bin/validate,tools/schema/validate_main.c,schema yamljson xlib))
C_BINS += $(BUILD)/bin/validate
