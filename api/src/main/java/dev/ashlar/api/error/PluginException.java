package dev.ashlar.api.error;

/** A plugin is missing, claimed twice, or failed while contributing. The message names the plugin and the fix. */
public class PluginException extends AshlarException {
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(ErrorCode.PLUGIN, message);
    }

    public PluginException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public PluginException(String message, String resource, Throwable cause) {
        super(ErrorCode.PLUGIN, message, resource, null, null, cause);
    }
}
