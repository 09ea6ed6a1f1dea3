# tools/yamljson: YAML (libyaml) <-> jansson, and core.yaml's current: rewrite.
# Uses xlib (fsx) for file reads and atomic writes: link `yamljson xlib`.
$(eval $(call c_lib,yamljson,tools/yamljson/yamljson.c tools/yamljson/yaml_scalar.c tools/yamljson/yamldump.c))
