/**
 * TaskRouter v1 for Flex's workspace ({@code https://taskrouter.twilio.com/v1/Workspaces/...}):
 * {@link com.flexwebchat.emulator.taskrouter.TaskRouter} is the product as the rest of the emulator sees it. Inside:
 * the workspace with its activities, task channels, workflow and queue ({@code TaskRouterWorkspace}), workers and
 * tasks with the task lifecycle ({@code TaskRouterTask}), the REST operations ({@code TaskRouterApi}), the
 * expressions Flex filters with ({@code TargetWorkersExpression}) and the event callbacks ({@code TaskRouterEvents}).
 * Routing itself (reservations) is not emulated.
 */
package com.flexwebchat.emulator.taskrouter;
